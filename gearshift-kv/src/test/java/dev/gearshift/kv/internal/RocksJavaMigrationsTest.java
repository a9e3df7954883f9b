package dev.gearshift.kv.internal;

import dev.gearshift.testkit.JavaMigrationsContract;

class RocksJavaMigrationsTest extends JavaMigrationsContract {
    RocksJavaMigrationsTest() {
        super(new KvFixture("rocksdb"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.CommandsContract;

class RocksCommandsTest extends CommandsContract {
    RocksCommandsTest() {
        super(new KvFixture("rocksdb"));
    }
}

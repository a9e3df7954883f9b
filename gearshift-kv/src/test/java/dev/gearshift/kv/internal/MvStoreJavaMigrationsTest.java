package dev.gearshift.kv.internal;

import dev.gearshift.testkit.JavaMigrationsContract;

class MvStoreJavaMigrationsTest extends JavaMigrationsContract {
    MvStoreJavaMigrationsTest() {
        super(new KvFixture("mvstore"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.LostLockContract;

class RocksLostLockTest extends LostLockContract {
    RocksLostLockTest() {
        super(new KvFixture("rocksdb"));
    }
}

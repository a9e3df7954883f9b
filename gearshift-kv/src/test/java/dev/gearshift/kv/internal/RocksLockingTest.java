package dev.gearshift.kv.internal;

import dev.gearshift.testkit.LockingContract;

class RocksLockingTest extends LockingContract {
    RocksLockingTest() {
        super(new KvFixture("rocksdb"));
    }
}

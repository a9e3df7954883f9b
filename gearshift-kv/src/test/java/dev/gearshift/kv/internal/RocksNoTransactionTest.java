package dev.gearshift.kv.internal;

import dev.gearshift.testkit.NoTransactionContract;

class RocksNoTransactionTest extends NoTransactionContract {
    RocksNoTransactionTest() {
        super(new KvFixture("rocksdb"));
    }
}

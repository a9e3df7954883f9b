package dev.gearshift.kv.internal;

import dev.gearshift.testkit.NoTransactionContract;

class MvStoreNoTransactionTest extends NoTransactionContract {
    MvStoreNoTransactionTest() {
        super(new KvFixture("mvstore"));
    }
}

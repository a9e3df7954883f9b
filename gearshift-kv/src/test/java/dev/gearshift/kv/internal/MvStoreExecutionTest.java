package dev.gearshift.kv.internal;

import dev.gearshift.testkit.ExecutionContract;

class MvStoreExecutionTest extends ExecutionContract {
    MvStoreExecutionTest() {
        super(new KvFixture("mvstore"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.ExecutionContract;

class RocksExecutionTest extends ExecutionContract {
    RocksExecutionTest() {
        super(new KvFixture("rocksdb"));
    }
}

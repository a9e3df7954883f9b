package dev.gearshift.kv.internal;

import dev.gearshift.testkit.DdlLockWaitContract;

class RocksDdlLockWaitTest extends DdlLockWaitContract {
    RocksDdlLockWaitTest() {
        super(new KvFixture("rocksdb"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.DdlLockWaitContract;

class MvStoreDdlLockWaitTest extends DdlLockWaitContract {
    MvStoreDdlLockWaitTest() {
        super(new KvFixture("mvstore"));
    }
}

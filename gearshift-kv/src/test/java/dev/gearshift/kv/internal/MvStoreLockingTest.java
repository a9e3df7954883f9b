package dev.gearshift.kv.internal;

import dev.gearshift.testkit.LockingContract;

class MvStoreLockingTest extends LockingContract {
    MvStoreLockingTest() {
        super(new KvFixture("mvstore"));
    }
}

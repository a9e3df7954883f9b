package dev.gearshift.kv.internal;

import dev.gearshift.testkit.LostLockContract;

class MvStoreLostLockTest extends LostLockContract {
    MvStoreLostLockTest() {
        super(new KvFixture("mvstore"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.BackupContract;

class MvStoreBackupTest extends BackupContract {
    MvStoreBackupTest() {
        super(new KvFixture("mvstore"));
    }
}

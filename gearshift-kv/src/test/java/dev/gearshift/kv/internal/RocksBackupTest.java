package dev.gearshift.kv.internal;

import dev.gearshift.testkit.BackupContract;

class RocksBackupTest extends BackupContract {
    RocksBackupTest() {
        super(new KvFixture("rocksdb"));
    }
}

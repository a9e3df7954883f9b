package dev.gearshift.kv.internal;

import dev.gearshift.testkit.CommandsContract;

class MvStoreCommandsTest extends CommandsContract {
    MvStoreCommandsTest() {
        super(new KvFixture("mvstore"));
    }
}

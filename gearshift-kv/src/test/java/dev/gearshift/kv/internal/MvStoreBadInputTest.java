package dev.gearshift.kv.internal;

import dev.gearshift.testkit.BadInputContract;

class MvStoreBadInputTest extends BadInputContract {
    MvStoreBadInputTest() {
        super(new KvFixture("mvstore"));
    }
}

package dev.gearshift.kv.internal;

import dev.gearshift.testkit.BadInputContract;

class RocksBadInputTest extends BadInputContract {
    RocksBadInputTest() {
        super(new KvFixture("rocksdb"));
    }
}

package dev.gearshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Target;
import dev.gearshift.spi.Capability;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A backup of the target, written before a run changes it. */
@Requires(Capability.BACKUP)
public abstract class BackupContract extends StoreContract {

    protected BackupContract(StoreFixture fixture) {
        super(fixture);
    }

    @Test
    public void aBackupHoldsTheTargetAsItWasBeforeTheRun() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_kept", store.create("kept")).down("a/1_kept", store.drop("kept"))
                .up("a/2_dropped", store.create("dropped")).down("a/2_dropped", store.drop("dropped"));
        project.gearshift().up();
        Path backup = project.root().resolve("before-down.backup");

        project.configure().backup(backup).build().down(Target.latest());

        assertThat(project.exists("dropped")).isFalse();
        assertThat(store.backupHolds(backup, project.target(), "dropped")).as("the backup of " + backup).isTrue();
        assertThat(store.backupHolds(backup, project.target(), "kept")).isTrue();
    }
}

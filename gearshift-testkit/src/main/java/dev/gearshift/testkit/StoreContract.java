package dev.gearshift.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the kit's suites: a store module runs a suite by extending it with a constructor that hands over
 * its {@link StoreFixture}, one per test, e.g. {@code PostgresCommandsTest(TestDatabase db) { super(new
 * PostgresFixture(db)); }}. Tests that need a capability the fixture does not declare are not applicable
 * ({@link Requires}).
 */
@ExtendWith(Applicability.class)
public abstract class StoreContract {

    private final StoreFixture fixture;
    private int projects;

    @TempDir
    Path dir;

    protected StoreContract(StoreFixture fixture) {
        this.fixture = fixture;
    }

    public final StoreFixture fixture() {
        return fixture;
    }

    /** A new project in its own directory, migrating a fresh target. */
    protected final KitProject project() {
        return new KitProject(fixture, dir.resolve("project-" + ++projects));
    }

    @AfterEach
    final void closeFixture() {
        fixture.close();
    }
}

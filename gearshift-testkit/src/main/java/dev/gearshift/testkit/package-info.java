/**
 * The engine's behaviour suite, written once and run by every store module against its own store, as
 * golang-migrate's {@code database/testing} is by its drivers.
 *
 * <p>A store runs the kit by implementing {@link dev.gearshift.testkit.StoreFixture} (fresh targets, scripts in
 * its own format that create, drop, fill and break named objects, and a look at the store that does not go through
 * Gearshift) and extending each suite in its tests with a constructor that hands a new fixture over:
 * {@link dev.gearshift.testkit.CommandsContract}, {@link dev.gearshift.testkit.ExecutionContract},
 * {@link dev.gearshift.testkit.BadInputContract}, {@link dev.gearshift.testkit.JavaMigrationsContract},
 * {@link dev.gearshift.testkit.LockingContract}, {@link dev.gearshift.testkit.LostLockContract},
 * {@link dev.gearshift.testkit.NoTransactionContract}, {@link dev.gearshift.testkit.DdlLockWaitContract} and
 * {@link dev.gearshift.testkit.BackupContract}. A test that needs a
 * {@link dev.gearshift.spi.Capability} the fixture does not declare is reported as disabled, "not applicable:
 * store lacks ...", and each suite prints one line listing them.
 */
package dev.gearshift.testkit;

/**
 * The Maven plugin's goals: {@code up}, {@code down}, {@code status}, {@code validate}, {@code plan}, {@code drift}
 * and {@code diff}, each a thin layer over the Java API, sharing {@link dev.gearshift.maven.GearshiftMojo}'s
 * configuration (POM, settings.xml servers, environment, gearshift.yaml).
 *
 * <p>{@code lint} is not here yet: it comes with the linter (another issue). It goes beside {@code DiffMojo}, as a
 * {@code LintMojo} extending {@code GearshiftMojo} (with {@code buildsGearshift()} false if it needs no target),
 * one call to the linter's Java API, and a {@code gearshift:lint} run in {@code MavenBuildIT}.
 */
package dev.gearshift.maven;

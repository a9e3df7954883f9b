/**
 * The Maven plugin's goals: {@code up}, {@code down}, {@code status}, {@code validate}, {@code plan}, {@code drift},
 * {@code diff} and {@code lint}, each a thin layer over the Java API, sharing
 * {@link dev.gearshift.maven.GearshiftMojo}'s configuration (POM, settings.xml servers, environment, gearshift.yaml).
 */
package dev.gearshift.maven;

package dev.gearshift.diff.internal;

/**
 * An object that is not the same on both sides.
 *
 * @param from the object on the from side, or null when it is only on the to side
 * @param to   the object on the to side, or null when it is only on the from side
 */
public record Difference(Key key, DbObject from, DbObject to) {
}

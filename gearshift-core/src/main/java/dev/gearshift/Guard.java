package dev.gearshift;

/**
 * Held by a running application instance: while any guard on a schema is open, migrations of that
 * schema refuse to start (or wait, when told to). Close it when the instance stops.
 */
public interface Guard extends AutoCloseable {

    /** The schema this guard protects. */
    String schema();

    @Override
    void close();
}

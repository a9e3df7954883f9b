package dev.gearshift.kv;

import java.util.Iterator;

/** The entries of a key range, in key order; closing it frees what the store holds for it. */
public interface Cursor extends Iterator<KvEntry>, AutoCloseable {

    @Override
    void close();
}

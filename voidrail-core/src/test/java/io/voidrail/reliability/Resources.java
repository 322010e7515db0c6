package io.voidrail.reliability;

import java.util.ArrayList;
import java.util.List;

/** What a test started (processes, routers, dealers, clients), closed in reverse order, each even if another fails. */
final class Resources implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            }
            catch (Exception ex) {
                if (first == null) {
                    first = new IllegalStateException("Closing " + started.get(i) + " failed", ex);
                }
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }
}

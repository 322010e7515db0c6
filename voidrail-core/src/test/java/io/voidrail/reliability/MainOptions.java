package io.voidrail.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments of the test mains, and the stdin watch that makes them leave with the test JVM. */
final class MainOptions {

    private final Map<String, String> values = new HashMap<>();

    MainOptions(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Expected key=value, got " + args[i]);
            }
            values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
    }

    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int number(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    Duration millis(String key, long fallback) {
        return Duration.ofMillis(values.containsKey(key) ? Long.parseLong(values.get(key)) : fallback);
    }

    /** Blocks until stdin ends: the test JVM closed it or died. */
    static void awaitEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // nothing to read; only the end matters
            }
        }
        catch (java.io.IOException ex) {
            // treated as the end
        }
    }
}

package io.voidrail.internal;

import java.time.Duration;

/** Argument checks shared by the builders, so every bad setting fails the same clear way. */
public final class Checks {

    private Checks() {
    }

    public static Duration positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    public static Duration notNegative(Duration value, String name) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /** The one lifecycle rule of router, dealer and client: started once, closed for good. */
    public static void startable(boolean started, boolean closed, String what) {
        open(closed, what);
        if (started) {
            throw new IllegalStateException("The VoidRail " + what + " is already started");
        }
    }

    /** Fails at once when {@code what} is closed: nothing reopens it. */
    public static void open(boolean closed, String what) {
        if (closed) {
            throw new IllegalStateException("The VoidRail " + what + " is closed: build a new one");
        }
    }
}

package io.voidrail.internal;

/**
 * What an I/O loop survives when an application's listener throws: any exception, and the errors of the listener's
 * own code (a class its library lacks, a failed assertion, a recursion too deep), which would otherwise end the loop
 * and every call after it. The JVM's own failures (out of memory) go on up.
 */
public final class Survivable {

    private Survivable() {
    }

    /** Returns when the loop may log {@code thrown} and go on; throws it again when it is the JVM's own failure. */
    public static void orRethrow(Throwable thrown) {
        if (thrown instanceof VirtualMachineError fatal && !(thrown instanceof StackOverflowError)) {
            throw fatal;
        }
    }
}

package io.voidrail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * What a long-running command waits for: SIGINT (Ctrl-C) or SIGTERM. Handling the signals ourselves lets
 * the command stop gracefully and exit 0; a shutdown hook covers every other way the JVM is asked to
 * exit (SIGHUP, for one) by waiting, for a bounded time, until the command has cleaned up. Further
 * signals while stopping change nothing (tools like timeout(1) deliver one twice); every stop is bounded.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way on Java 17 to handle a signal without
 * the JVM exiting. A signal the JVM inherited as ignored (a background job of a non-interactive shell
 * ignores SIGINT) stays ignored.
 */
final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Duration cleanupLimit;
    private volatile String reason = "";

    private StopSignal(Duration cleanupLimit) {
        this.cleanupLimit = cleanupLimit;
    }

    /** Takes over SIGINT and SIGTERM for this JVM; {@code cleanupLimit} bounds the shutdown hook's wait. */
    static StopSignal install(Duration cleanupLimit) {
        StopSignal stop = new StopSignal(cleanupLimit);
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), signal -> stop.request("SIG" + signal.getName()));
            }
            catch (IllegalArgumentException ex) {
                // the JVM keeps this signal (-Xrs): the shutdown hook below still stops us gracefully
            }
        }
        Thread hook = new Thread(() -> {
            stop.request("JVM shutdown");
            stop.awaitFinished();
        }, "voidrail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return stop;
    }

    void request(String why) {
        if (requested.getCount() > 0) {
            reason = why;
            requested.countDown();
        }
    }

    /** Stops when this process's stdin reaches its end: how a supervised child notices its parent is gone. */
    void requestOnEndOf(InputStream in, String why) {
        Thread watch = new Thread(() -> {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            }
            catch (IOException ex) {
                // a broken pipe means the same as its end
            }
            request(why);
        }, "voidrail-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Whether a stop was requested within {@code timeout}. */
    boolean await(Duration timeout) {
        try {
            return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    String reason() {
        return reason;
    }

    /** The command has cleaned up: the JVM may exit. */
    void finished() {
        finished.countDown();
    }

    private void awaitFinished() {
        try {
            finished.await(cleanupLimit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

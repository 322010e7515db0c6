package io.voidrail.dealer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The hand-over decision with a fake clock: {@link InlineWatchdog#tick} is given the time, nothing sleeps. */
class InlineWatchdogTests {

    private static final long LIMIT = InlineWatchdog.LIMIT_NANOS;

    private final InlineWatchdog watchdog = new InlineWatchdog(false);
    private final LoopBaton baton = new LoopBaton();
    /** The thread a hand-over started, and what it saw of the baton. */
    private final CompletableFuture<Boolean> successorOwned = new CompletableFuture<>();
    private final AtomicReference<Thread> successor = new AtomicReference<>();

    InlineWatchdogTests() {
        watchdog.watch(baton, () -> {
            Thread thread = new Thread(() -> successorOwned.complete(baton.owned()), "successor");
            successor.set(thread);
            return thread;
        });
    }

    @Test
    void aCallThatKeepsTheLoopsThreadForTheLimitMovesTheLoopToANewThread() throws Exception {
        assertThat(watchdog.tick(0)).isFalse();
        long call = baton.beginInline();
        assertThat(watchdog.tick(1_000)).isTrue(); // first seen here
        assertThat(watchdog.tick(1_000 + LIMIT - 1)).isTrue();
        assertThat(successor.get()).isNull();
        assertThat(baton.owned()).isTrue();

        watchdog.tick(1_000 + LIMIT);

        assertThat(successorOwned.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(baton.owned()).isFalse();
        assertThat(baton.endInline(call)).as("the thread that ran the call no longer owns the loop").isFalse();
        assertThat(baton.inlineCall()).isZero();
    }

    @Test
    void quickCallsOneAfterTheOtherNeverMoveTheLoop() {
        long now = 0;
        for (int i = 0; i < 10; i++) {
            long call = baton.beginInline();
            watchdog.tick(now);
            now += LIMIT / 2;
            assertThat(baton.endInline(call)).isTrue();
            call = baton.beginInline(); // the next call is running at the next tick: a different call
            watchdog.tick(now);
            now += LIMIT / 2;
            assertThat(baton.endInline(call)).isTrue();
        }
        assertThat(successor.get()).isNull();
        assertThat(baton.owned()).isTrue();
    }

    @Test
    void aCallThatEndsJustBeforeTheHandOverKeepsTheLoop() {
        long call = baton.beginInline();
        watchdog.tick(0);
        assertThat(baton.endInline(call)).isTrue();
        watchdog.tick(LIMIT);
        assertThat(successor.get()).as("the successor made for a call that ended is never started").isNull();
        assertThat(baton.owned()).isTrue();
        assertThat(baton.handOver(call, new Thread(() -> { }))).isFalse();
    }

    @Test
    void itReportsActivityOnlyWhileCallsRunOnTheLoopsThread() {
        assertThat(watchdog.tick(0)).isFalse();
        long call = baton.beginInline();
        assertThat(baton.endInline(call)).isTrue();
        assertThat(watchdog.tick(1)).as("a call began and ended between two ticks").isTrue();
        assertThat(watchdog.tick(2)).isFalse();
        watchdog.unwatch(baton);
        baton.beginInline();
        assertThat(watchdog.tick(3)).as("an unwatched loop").isFalse();
    }

    @Test
    void theWatchdogThreadMovesALoopStuckInACall() throws Exception {
        LoopBaton stuck = new LoopBaton();
        CompletableFuture<Thread> started = new CompletableFuture<>();
        InlineWatchdog.shared().watch(stuck, () -> new Thread(() -> started.complete(Thread.currentThread())));
        try {
            long call = stuck.beginInline();
            InlineWatchdog.shared().callBegan();
            Thread thread = started.get(5, TimeUnit.SECONDS);
            assertThat(thread).isNotSameAs(Thread.currentThread());
            assertThat(stuck.endInline(call)).isFalse();
        }
        finally {
            InlineWatchdog.shared().unwatch(stuck);
        }
    }
}

package io.voidrail.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ProcessMeterTests {

    private static final int MIB = 1024 * 1024;

    @Test
    void allocationOfEveryThreadIsCountedFromTheStartOnly() throws Exception {
        List<byte[]> before = allocate(16); // before the start: not counted
        ProcessMeter meter = ProcessMeter.start();
        List<byte[]> here = allocate(8);
        AtomicReference<List<byte[]>> there = new AtomicReference<>();
        Thread other = new Thread(() -> there.set(allocate(4)));
        other.start();
        other.join();
        // the other thread has ended: only this thread's 8 MiB are seen, with what else the JVM did meanwhile
        long ended = meter.allocatedBytes();
        CountDownLatch allocated = new CountDownLatch(1);
        Thread alive = new Thread(() -> {
            List<byte[]> kept = allocate(4);
            allocated.countDown();
            sleepQuietly();
            Reference.reachabilityFence(kept); // kept while the thread lives
        });
        alive.setDaemon(true);
        alive.start();
        try {
            assertThat(allocated.await(10, TimeUnit.SECONDS)).as("the live thread allocated").isTrue();
            long withAlive = meter.allocatedBytes();

            assertThat(ended).isBetween(8L * MIB, 12L * MIB);
            assertThat(withAlive - ended).as("a thread started after the start counts whole").isGreaterThanOrEqualTo(4L * MIB);
            // the process's CPU time comes in clock ticks (10 ms): burn 50 ms of this thread's, see at least 30 of it
            long burnt = burnCpu(TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(meter.cpuNanos()).isGreaterThanOrEqualTo(burnt - TimeUnit.MILLISECONDS.toNanos(20));
        }
        finally {
            alive.interrupt();
        }
        assertThat(before.size() + here.size() + there.get().size()).isEqualTo(28);
    }

    private static List<byte[]> allocate(int mebibytes) {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < mebibytes; i++) {
            blocks.add(new byte[MIB]);
        }
        return blocks;
    }

    /** Spins until this thread has used {@code nanos} of CPU since the call (bounded by 10 s of wall time). */
    private static long burnCpu(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long used = 0;
        while (used < nanos && System.nanoTime() < deadline) {
            used = threads.getCurrentThreadCpuTime() - start;
        }
        assertThat(used).as("CPU burnt within 10 s").isGreaterThanOrEqualTo(nanos);
        return used;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(60_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

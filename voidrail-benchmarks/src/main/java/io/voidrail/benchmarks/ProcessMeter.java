package io.voidrail.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's CPU time and heap allocation over a phase, read at its two ends. Allocation is the sum over the
 * threads alive at the end (JDK 17 keeps no total): the roles' threads live through a phase, while a thread that
 * ended during it (an idle pool worker) is not counted.
 */
final class ProcessMeter {

    private final long cpuAtStart;
    private final Map<Long, Long> allocatedAtStart;

    private ProcessMeter() {
        cpuAtStart = cpuNanosNow();
        allocatedAtStart = allocatedByThread();
    }

    static ProcessMeter start() {
        return new ProcessMeter();
    }

    /** CPU time of every thread (JIT and GC included) since {@link #start}, or -1 when the JVM does not tell. */
    long cpuNanos() {
        long now = cpuNanosNow();
        return cpuAtStart < 0 || now < 0 ? -1 : now - cpuAtStart;
    }

    /** Bytes allocated on the heap since {@link #start}, or -1 when the JVM does not tell. */
    long allocatedBytes() {
        Map<Long, Long> now = allocatedByThread();
        if (now.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<Long, Long> thread : now.entrySet()) {
            total += thread.getValue() - allocatedAtStart.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }

    private static long cpuNanosNow() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Thread id to bytes allocated so far; empty when the JVM cannot tell. */
    private static Map<Long, Long> allocatedByThread() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return Map.of();
        }
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) { // -1: the thread ended meanwhile
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }
}

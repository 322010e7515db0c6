package io.voidrail.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import io.voidrail.reliability.JavaProcess;
import io.voidrail.router.ServiceRouter;
import io.voidrail.status.RouterStatus;

/**
 * The router of {@link FloodTests}, auth on: in the test's JVM (the suite), or in its own JVM with a given heap (the
 * issue-size run by hand), which then alone fills that heap. Either way {@link #snapshot()} tells its tables and its
 * heap after a full GC.
 */
abstract class FloodRouter implements AutoCloseable {

    /** What the router holds: listed dealers (identities), queues, methods with statistics; heap used after a GC. */
    record Snapshot(List<String> dealers, Set<String> queues, int methodStats, long heapUsed, long heapMax) {

        static Snapshot of(RouterStatus status) {
            System.gc();
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return new Snapshot(status.dealers().stream().map(RouterStatus.Dealer::id).toList(), status.queues().keySet(),
                    status.methodStats().size(), heap.getUsed(), heap.getMax());
        }

        /** One line: {@code STATUS <n> dealers=a,b queues=x,y method_stats=3 heap_used=123 heap_max=456}. */
        String line(int number) {
            return "STATUS " + number + " dealers=" + String.join(",", dealers) + " queues=" + String.join(",", queues)
                    + " method_stats=" + methodStats + " heap_used=" + heapUsed + " heap_max=" + heapMax;
        }

        static Snapshot parse(Matcher line) {
            return new Snapshot(list(line.group(1)), Set.copyOf(list(line.group(2))), Integer.parseInt(line.group(3)),
                    Long.parseLong(line.group(4)), Long.parseLong(line.group(5)));
        }

        private static List<String> list(String joined) {
            return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
        }
    }

    abstract String address();

    abstract Snapshot snapshot();

    abstract boolean isAlive();

    /** For the report line: how the router ran. */
    abstract String describe();

    /** ERROR lines of the router (of its own JVM; in this JVM the test's appender sees them). */
    abstract List<String> errorLines();

    static ServiceRouter start(String dealerKey, String clientKey) {
        return ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).requireAuth(true)
                .dealerApiKeys(List.of(dealerKey)).clientApiKeys(List.of(clientKey)).startupGrace(Duration.ZERO)
                .build().start();
    }

    static FloodRouter inThisJvm(String dealerKey, String clientKey) {
        ServiceRouter router = start(dealerKey, clientKey);
        return new FloodRouter() {
            String address() {
                return router.address();
            }

            Snapshot snapshot() {
                return Snapshot.of(router.status());
            }

            boolean isAlive() {
                return router.isRunning();
            }

            String describe() {
                return " router=this_jvm";
            }

            List<String> errorLines() {
                return List.of();
            }

            public void close() {
                router.close();
            }
        };
    }

    static FloodRouter ownJvm(String heap, String dealerKey, String clientKey) {
        // full JIT and the JVM's default collector, as bin/voidrail runs a router; only the heap is set
        JavaProcess process = JavaProcess.start(List.of("-XX:TieredStopAtLevel=4", "-XX:-UseSerialGC", "-Xmx" + heap),
                FloodRouter.class, dealerKey, clientKey);
        String address = process.awaitLine("READY (\\S+)", Duration.ofSeconds(30)).group(1);
        AtomicInteger asked = new AtomicInteger();
        return new FloodRouter() {
            String address() {
                return address;
            }

            Snapshot snapshot() {
                int number = asked.incrementAndGet();
                process.writeLine("status " + number);
                return Snapshot.parse(process.awaitLine("STATUS " + number + " dealers=(\\S*) queues=(\\S*) "
                        + "method_stats=(\\d+) heap_used=(\\d+) heap_max=(\\d+)", Duration.ofSeconds(30)));
            }

            boolean isAlive() {
                return process.isAlive();
            }

            String describe() {
                return " router=own_jvm -Xmx" + heap + " rss_mib=" + rssMib(process.pid()) + " log_lines="
                        + process.lines().size();
            }

            List<String> errorLines() {
                return process.lines().stream().filter(line -> line.contains(" ERROR ")).toList();
            }

            public void close() {
                process.closeInput();
                process.close();
            }
        };
    }

    /** The resident set of a process from /proc (Linux), -1 elsewhere. */
    private static long rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // not Linux: not reported
        }
        return -1;
    }

    /** The router's own JVM: {@code FloodRouter DEALER_KEY CLIENT_KEY}; answers {@code status N} lines on stdin. */
    public static void main(String[] args) throws IOException {
        try (ServiceRouter router = start(args[0], args[1]);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY " + router.address());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("status ")) {
                    System.out.println(Snapshot.of(router.status()).line(Integer.parseInt(line.substring(7))));
                }
            }
        }
    }
}

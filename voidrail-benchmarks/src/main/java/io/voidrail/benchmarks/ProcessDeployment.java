package io.voidrail.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;

/**
 * A router and {@code dealers} dealer processes, each its own JVM started from this one's class path
 * ({@link ProcessRoles}), as users deploy them: FIFO, one slot per dealer. Closing it ends their standard input
 * (they close and exit) and kills any that has not left after a few seconds.
 */
final class ProcessDeployment implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final List<Process> processes = new ArrayList<>();
    private final String address;

    private ProcessDeployment(int dealers, boolean inline) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        address = "tcp://127.0.0.1:" + port;
        start("router", String.valueOf(port));
        for (int i = 0; i < dealers; i++) {
            start("dealer", address, String.valueOf(inline));
        }
        awaitDealers(dealers);
    }

    /** {@code inline}: whether the dealers run quick calls on their I/O thread. */
    static ProcessDeployment start(int dealers, boolean inline) throws IOException {
        return new ProcessDeployment(dealers, inline);
    }

    String address() {
        return address;
    }

    /** The children's process ids (for the report, and for tests that check they are gone). */
    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    private void start(String role, String... arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ProcessRoles.class.getName(), role));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                // a JVM agent (JAVA_TOOL_OPTIONS, a profiler) may print its own lines first
                String line;
                while ((line = out.readLine()) != null && !ProcessRoles.READY.equals(line)) {
                    System.err.println(role + ": " + line);
                }
                return line;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        try {
            String line = ready.get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
            if (!ProcessRoles.READY.equals(line)) {
                throw new IllegalStateException("The " + role + " process did not start (said " + line + ")");
            }
        }
        catch (Exception ex) {
            close();
            throw new IllegalStateException("The " + role + " process did not start within " + START_BOUND, ex);
        }
    }

    /** Until the router lists every dealer, so that no phase measures a partial pool. */
    private void awaitDealers(int dealers) {
        try (ClientDealer client = ClientDealer.builder().routerAddress(address)
                .environment(new AuthEnvironment(Map.of())).timeout(Duration.ofSeconds(5)).build()) {
            long end = System.nanoTime() + START_BOUND.toNanos();
            while (client.discoverClusters().size() < dealers) {
                if (System.nanoTime() - end > 0) {
                    close();
                    throw new IllegalStateException("Only " + client.discoverClusters().size() + " of " + dealers
                            + " dealer processes registered within " + START_BOUND);
                }
                Thread.sleep(50);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while the dealer processes started", ex);
        }
    }

    @Override
    public void close() {
        // dealers first, so that none is left waiting for a router that went away
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).getOutputStream().close();
            }
            catch (IOException ignored) {
                // already gone
            }
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

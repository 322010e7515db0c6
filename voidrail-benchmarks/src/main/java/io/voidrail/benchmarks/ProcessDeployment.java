package io.voidrail.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;

/**
 * A router and {@code dealers} dealer processes, each its own JVM started from this one's class path
 * ({@link ProcessRoles}, {@link ChildJvm}), as users deploy them: FIFO, one slot per dealer. Closing it ends their
 * standard input (they close and exit) and kills any that has not left after a few seconds.
 */
final class ProcessDeployment implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final List<ChildJvm> children = new ArrayList<>();
    private final String address;

    private ProcessDeployment(int dealers, boolean inline) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        address = "tcp://127.0.0.1:" + port;
        try {
            launch("router", String.valueOf(port));
            for (int i = 0; i < dealers; i++) {
                launch("dealer", address, String.valueOf(inline));
            }
            awaitDealers(dealers);
        }
        catch (IOException | RuntimeException ex) {
            close();
            throw ex;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while the router and dealer processes started", ex);
        }
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
        return children.stream().map(ChildJvm::pid).toList();
    }

    private void launch(String role, String... arguments) throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.start(role, role, arguments);
        children.add(child);
        child.await(System.nanoTime() + START_BOUND.toNanos(), ProcessRoles.READY);
    }

    /** Until the router lists every dealer, so that no phase measures a partial pool. */
    private void awaitDealers(int dealers) throws InterruptedException {
        try (ClientDealer client = ClientDealer.builder().routerAddress(address)
                .environment(new AuthEnvironment(Map.of())).timeout(Duration.ofSeconds(5)).build()) {
            long end = System.nanoTime() + START_BOUND.toNanos();
            while (client.discoverClusters().size() < dealers) {
                if (System.nanoTime() - end > 0) {
                    throw new IllegalStateException("Only " + client.discoverClusters().size() + " of " + dealers
                            + " dealer processes registered within " + START_BOUND);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        ChildJvm.closeAll(children);
    }
}

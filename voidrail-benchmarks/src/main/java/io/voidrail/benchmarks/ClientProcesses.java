package io.voidrail.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code --clients K}: the load comes from K client JVMs ({@link ProcessRoles} {@code client}, each its own
 * {@code ClientDealer} running {@link VoidRailScenario#remote}), not from this one, so that the load generator's
 * own process is not what limits a deployment of processes. The window, the calls and the warm-up calls are split
 * between them. They warm up together; once all have, this JVM tells them to go, so that they measure the same
 * interval, and merges their phases ({@link PhaseResult#merge}): the CPU reported is theirs, summed.
 */
final class ClientProcesses implements Scenario {

    /** JVM start, connection and first call of K clients on a busy machine, on top of the warm-up's own bound. */
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    /** Past a phase's bound and drain grace: closing the client, printing the result. */
    private static final Duration REPORT_BOUND = Duration.ofSeconds(30);

    private final String name;
    private final String description;
    private final String address;
    private final int clients;

    ClientProcesses(String name, String description, String address, int clients) {
        this.name = name;
        this.description = description;
        this.address = address;
        this.clients = clients;
    }

    /** {@code --router ADDRESS --clients K}: named and described as the in-JVM client's scenario, plus the clients. */
    static ClientProcesses remote(String address, int clients, int window) {
        VoidRailScenario inJvm = VoidRailScenario.remote(address);
        return new ClientProcesses(inJvm.name(), inJvm.description() + "; " + describe(clients, window), address,
                clients);
    }

    /** For the scenario's description: how many client JVMs, and how many calls each keeps in flight. */
    static String describe(int clients, int window) {
        int fewest = share(window, clients, clients - 1);
        int most = share(window, clients, 0);
        return clients + (clients == 1 ? " client JVM" : " client JVMs") + ", "
                + (fewest == most ? String.valueOf(most) : fewest + "-" + most) + (most == 1 ? " call" : " calls")
                + " in flight each (cpu us: the clients' CPU)";
    }

    /** Client {@code index}'s part of {@code total}: the parts differ by at most one and add up to the total. */
    static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                children.add(ChildJvm.start("client " + (i + 1), "client", address,
                        String.valueOf(share(options.window(), clients, i)),
                        String.valueOf(share(options.calls(), clients, i)),
                        String.valueOf(share(options.warmupCalls(), clients, i)),
                        String.valueOf(options.maxSeconds().toSeconds()), String.valueOf(options.payloadBytes()),
                        String.valueOf(options.directCallbacks())));
            }
            Duration phaseBound = options.maxSeconds().plus(WindowedLoad.DRAIN_GRACE);
            long warmedBy = System.nanoTime() + START_BOUND.plus(phaseBound).toNanos();
            List<PhaseResult> warmups = new ArrayList<>();
            for (ChildJvm child : children) {
                PhaseResult warmup = next(child, warmedBy, ProcessRoles.WARMED);
                if (warmup != null) {
                    warmups.add(warmup);
                }
            }
            children.forEach(child -> child.send(ProcessRoles.GO));
            long measuredBy = System.nanoTime() + phaseBound.plus(REPORT_BOUND).toNanos();
            List<PhaseResult> measured = new ArrayList<>();
            for (ChildJvm child : children) {
                PhaseResult phase = next(child, measuredBy, ProcessRoles.MEASURED);
                if (phase == null) {
                    throw new IllegalStateException("The " + child + " process said MEASURED without a phase");
                }
                measured.add(phase);
            }
            return new ScenarioResult(name, description, PhaseResult.merge(measured),
                    warmups.isEmpty() ? null : PhaseResult.merge(warmups));
        }
        finally {
            ChildJvm.closeAll(children);
        }
    }

    /**
     * The phase on the child's next {@code kind} line ({@code null} when it has none); a child that fails, ends or
     * says nothing in time fails the scenario (a setup error), and closing the others ends them.
     */
    private static @Nullable PhaseResult next(ChildJvm child, long deadlineNanos, String kind)
            throws InterruptedException {
        ChildJvm.Said said = child.await(deadlineNanos, kind, ProcessRoles.FAILED);
        if (said.kind().equals(ProcessRoles.FAILED)) {
            throw new IllegalStateException("The " + child + " process failed: " + PhaseLines.decodeText(said.data()));
        }
        return said.data().isEmpty() ? null : PhaseLines.decode(said.data());
    }

    @Override
    public String toString() {
        return name;
    }
}

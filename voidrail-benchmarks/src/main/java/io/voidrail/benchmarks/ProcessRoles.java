package io.voidrail.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import io.voidrail.RouterMode;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;

/**
 * The main of each child JVM of {@code --processes} and {@code --clients} ({@link ChildJvm}):
 * <ul>
 * <li>{@code router PORT} or {@code dealer ADDRESS [INLINE]} (INLINE: {@code --inline}) prints {@code READY} once
 * serving;</li>
 * <li>{@code client ADDRESS WINDOW CALLS WARMUP MAX_SECONDS PAYLOAD_BYTES DIRECT_CALLBACKS} loads the router at ADDRESS as
 * {@link VoidRailScenario#remote} does, prints {@code WARMED [warm-up phase]} after its first call and warm-up, waits
 * for {@code GO} on its standard input (so that all clients measure the same interval), and prints
 * {@code MEASURED phase} ({@link PhaseLines}) and exits; or {@code FAILED text} (Base64) when it cannot.</li>
 * </ul>
 * Each stops when its standard input ends, so that children never outlive the load generator, whatever way it ends.
 */
public final class ProcessRoles {

    static final String READY = "READY";
    static final String WARMED = "WARMED";
    static final String GO = "GO";
    static final String MEASURED = "MEASURED";
    static final String FAILED = "FAILED";
    private static final AuthEnvironment NO_ENV = new AuthEnvironment(Map.of());

    private ProcessRoles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("Usage: ProcessRoles router PORT | dealer ADDRESS [INLINE] "
                    + "| client ADDRESS WINDOW CALLS WARMUP MAX_SECONDS PAYLOAD_BYTES DIRECT_CALLBACKS");
        }
        if (args[0].equals("client")) {
            client(args);
            System.exit(0);
        }
        AutoCloseable role = switch (args[0]) {
            case "router" -> ServiceRouter.builder().address("tcp://127.0.0.1:" + Integer.parseInt(args[1]))
                    .mode(RouterMode.FIFO).environment(NO_ENV).maxQueueLength(100_000).build().start();
            case "dealer" -> ServiceDealer.builder().routerAddress(args[1]).service(new BenchEchoService())
                    .inlineQuickCalls(args.length < 3 || Boolean.parseBoolean(args[2])).environment(NO_ENV).shutdownGracePeriod(Duration.ofSeconds(1)).build().start();
            default -> throw new IllegalArgumentException("Unknown role " + args[0]);
        };
        say(READY);
        while (System.in.read() >= 0) {
            // the parent holds the pipe open while it needs this process
        }
        try {
            role.close();
        }
        catch (Exception ex) {
            System.err.println("closing: " + ex);
        }
        System.exit(0);
    }

    private static void client(String[] args) {
        String line;
        try {
            if (args.length != 8) {
                throw new IllegalArgumentException("Usage: ProcessRoles client ADDRESS WINDOW CALLS WARMUP MAX_SECONDS "
                        + "PAYLOAD_BYTES DIRECT_CALLBACKS");
            }
            // the options' own checks, and no voidrail.bench.* property of this JVM
            BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--router", args[1], "--window", args[2],
                    "--calls", args[3], "--warmup", args[4], "--max-seconds", args[5], "--payload", args[6],
                    "--direct-callbacks", args[7] },
                    new Properties());
            CompletableFuture<Void> go = watchInput();
            ScenarioResult result = VoidRailScenario.remote(args[1]).run(options, warmup -> {
                say(warmup == null ? WARMED : WARMED + " " + PhaseLines.encode(warmup));
                go.get();
            });
            line = result.measured() != null ? MEASURED + " " + PhaseLines.encode(result.measured())
                    : FAILED + " " + PhaseLines.encodeText(String.valueOf(result.setupError()));
        }
        catch (Exception ex) {
            line = FAILED + " " + PhaseLines.encodeText(String.valueOf(ex));
        }
        say(line);
    }

    /** Completes on {@code GO}; the end of the input (the parent is done or gone) ends this JVM at once. */
    private static CompletableFuture<Void> watchInput() {
        CompletableFuture<Void> go = new CompletableFuture<>();
        Thread watcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(GO)) {
                        go.complete(null);
                    }
                }
            }
            catch (IOException ex) {
                // no parent to read from
            }
            System.exit(0);
        }, "parent input");
        watcher.setDaemon(true);
        watcher.start();
        return go;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

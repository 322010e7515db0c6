package io.voidrail.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.voidrail.RouterMode;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;

/**
 * The main of each child JVM of {@code --processes}: {@code router PORT} or {@code dealer ADDRESS [INLINE]} (INLINE: {@code --inline}). It prints
 * {@code READY} once serving and stops when its standard input ends, so that children never outlive the load
 * generator, whatever way it ends.
 */
public final class ProcessRoles {

    static final String READY = "READY";
    private static final AuthEnvironment NO_ENV = new AuthEnvironment(Map.of());

    private ProcessRoles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("Usage: ProcessRoles router PORT | dealer ADDRESS [INLINE]");
        }
        AutoCloseable role = switch (args[0]) {
            case "router" -> ServiceRouter.builder().address("tcp://127.0.0.1:" + Integer.parseInt(args[1]))
                    .mode(RouterMode.FIFO).environment(NO_ENV).maxQueueLength(100_000).build().start();
            case "dealer" -> ServiceDealer.builder().routerAddress(args[1]).service(new BenchEchoService())
                    .inlineQuickCalls(args.length < 3 || Boolean.parseBoolean(args[2])).environment(NO_ENV).shutdownGracePeriod(Duration.ofSeconds(1)).build().start();
            default -> throw new IllegalArgumentException("Unknown role " + args[0]);
        };
        System.out.println(READY);
        System.out.flush();
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
}

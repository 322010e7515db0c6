package io.voidrail.reliability;

import java.time.Duration;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.ServiceDealer;

/**
 * A dealer process for reliability tests: {@code DealerMain <router address> <service class> [heartbeat-ms=200]
 * [slots=1] [max-concurrent=100] [grace-ms=10000]}. Prints {@code READY <identity>} once registered, serves until
 * its stdin ends (then stops gracefully and prints {@code STOPPED}) or it is killed.
 */
public final class DealerMain {

    private DealerMain() {
    }

    public static void main(String[] args) throws Exception {
        MainOptions options = new MainOptions(args, 2);
        Object service = Class.forName(args[1]).getConstructor().newInstance();
        ServiceDealer dealer = ServiceDealer.builder().routerAddress(args[0]).service(service)
                .environment(new AuthEnvironment(java.util.Map.of()))
                .heartbeatInterval(options.millis("heartbeat-ms", 200))
                .slots(options.number("slots", 1))
                .maxConcurrent(options.number("max-concurrent", 100))
                .shutdownGracePeriod(options.millis("grace-ms", 10_000))
                .build().start();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!dealer.isRegistered() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        System.out.println((dealer.isRegistered() ? "READY " : "NOT REGISTERED ") + dealer.identity());
        MainOptions.awaitEndOfInput();
        dealer.close();
        System.out.println("STOPPED");
    }
}

package io.voidrail.reliability;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;

/**
 * A router process for reliability tests: {@code RouterMain <bind address> [mode=fifo]
 * [heartbeat-timeout-ms=10000]}. Prints {@code READY <bound address>}, serves until its stdin ends (then stops
 * gracefully and prints {@code STOPPED}) or it is killed.
 */
public final class RouterMain {

    private RouterMain() {
    }

    public static void main(String[] args) {
        MainOptions options = new MainOptions(args, 1);
        ServiceRouter router = ServiceRouter.builder().address(args[0])
                .environment(new AuthEnvironment(java.util.Map.of()))
                .mode(RouterMode.parse(options.text("mode", "fifo")))
                .heartbeatTimeout(options.millis("heartbeat-timeout-ms", 10_000))
                .build().start();
        System.out.println("READY " + router.address());
        MainOptions.awaitEndOfInput();
        router.close();
        System.out.println("STOPPED");
    }
}

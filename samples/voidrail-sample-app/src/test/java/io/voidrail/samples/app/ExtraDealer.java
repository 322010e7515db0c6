package io.voidrail.samples.app;

import java.time.Duration;

import io.voidrail.dealer.ServiceDealer;

/**
 * A second EchoService dealer in its own JVM, for the dashboard's browser test to kill with SIGKILL. It serves at most
 * two minutes, so that it never outlives a test run that could not kill it.
 */
public final class ExtraDealer {

    private ExtraDealer() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceDealer dealer = ServiceDealer.builder()
            .routerAddress(args[0])
            .service(new EchoService())
            .heartbeatInterval(Duration.ofMillis(250))
            .build()
            .start();
        System.out.println("started " + dealer.identity());
        Thread.sleep(Duration.ofMinutes(2).toMillis());
        dealer.close();
    }

}

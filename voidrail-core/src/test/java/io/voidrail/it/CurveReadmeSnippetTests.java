package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;

/** The README's CURVE snippet, verbatim between the markers, run against key files made as the CLI makes them. */
class CurveReadmeSnippetTests {

    @Test
    void theReadmeSnippetServesCallsOverCurve(@TempDir Path directory) throws Exception {
        Path keys = directory.resolve("keys");
        Path allowed = Files.createDirectories(directory.resolve("allowed"));
        CurveKeys.save(CurveKeys.generate(), keys, "router");
        CurveKeys.save(CurveKeys.generate(), keys, "worker");
        Files.copy(keys.resolve("worker.key"), allowed.resolve("worker.key"));

        // README snippet (section "Security") from here
        // keys: the directory written by "voidrail keys --out keys --name router --name worker"
        // allowed: the public certificates (*.key) the router admits, here worker.key
        CurveKeys.Pair routerKeys = CurveKeys.loadPair(keys.resolve("router.key_secret"));   // or CurveKeys.generate()
        ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0")      // port 0: any free port
                .curve(CurveServerConfig.of(routerKeys).withAllowList(allowed)).build().start();

        CurveClientConfig curve = new CurveClientConfig(CurveKeys.loadPublicKey(keys.resolve("router.key")),
                CurveKeys.loadPair(keys.resolve("worker.key_secret")));
        ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address()).service(new EchoService())
                .curve(curve).build().start();
        ClientDealer client = ClientDealer.builder().routerAddress(router.address()).curve(curve).build();
        // to here

        try (router; dealer; client) {
            // room for one stalled handshake (JeroMQ redoes it after 1 s)
            assertThat(client.call("EchoService.echo").arg("sealed").timeout(Duration.ofSeconds(25))
                    .invoke(String.class)).isEqualTo("sealed");
        }
    }
}

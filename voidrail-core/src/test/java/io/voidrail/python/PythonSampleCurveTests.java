package io.voidrail.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.it.EchoService;
import io.voidrail.python.PythonPeers.ClientRun;
import io.voidrail.python.PythonWorkerTests.Progress;
import io.voidrail.status.RouterStatus;

/**
 * The sample Python worker and client ({@code samples/python}) with {@code --curve-server-key} and
 * {@code --curve-keys} against a Java CURVE router, keys as certificate files from {@link CurveKeys}; peers without
 * admitted keys get nothing. JeroMQ's pure-Java CURVE takes over a second on a loaded machine: calls get 25 s.
 */
class PythonSampleCurveTests {

    private static final Duration CURVE_TIMEOUT = Duration.ofSeconds(25);

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @TempDir
    Path dir;

    private final CurveKeys.Pair routerKeys = CurveKeys.generate();

    /** A CURVE router admitting the certificates saved into {@code dir/allowed}. */
    private Bus curveBus() {
        CurveKeys.save(routerKeys, dir.resolve("keys"), "router");
        return Bus.start(PythonWorkerTests.ROUTER
                .andThen(b -> b.curve(CurveServerConfig.of(routerKeys).withAllowList(dir.resolve("allowed")))));
    }

    /** A new admitted pair: its public certificate in the allow-list, its secret one returned. */
    private Path admitted(String name) {
        return CurveKeys.save(CurveKeys.generate(), dir.resolve("allowed"), name).get(1);
    }

    /** For the Java peers; made before the router starts, which reads its allow-list then (and every 5 s). */
    private CurveClientConfig javaCurve() {
        return new CurveClientConfig(routerKeys.publicKey(), CurveKeys.loadPair(admitted("java")));
    }

    @Test
    void sampleWorkerServesAJavaClientOverCurveAndOneWithoutKeysIsNotServed() {
        Path workerKeys = admitted("worker");
        CurveClientConfig javaCurve = javaCurve();
        try (Bus bus = curveBus()) {
            // the router's key as Z85 from the environment, this worker's pair from its certificate
            PythonPeers.Worker worker = python.worker(bus.address(),
                    Map.of("VOIDRAIL_CURVE_SERVER_KEY", routerKeys.publicKey()), "--curve-keys", workerKeys.toString());
            ClientDealer client = bus.client(b -> b.curve(javaCurve).timeout(CURVE_TIMEOUT)
                    .connectTimeout(CURVE_TIMEOUT));
            assertThat(client.invoke("TensorService.matmul", int[][].class, PythonWorkerTests.A, PythonWorkerTests.B))
                    .isEqualTo(PythonWorkerTests.PRODUCT);
            try (var items = client.stream("TensorService.progress", Progress.class, 3)) {
                assertThat(items.toList()).containsExactly(new Progress(1, 3), new Progress(2, 3), new Progress(3, 3));
            }

            // plaintext: its register never reaches the router; after 3 s of silence the worker says so
            PythonProcess plain = python.startWorker(bus.address(), Map.of());
            await("the plaintext worker gives up waiting").atMost(PythonPeers.START)
                    .until(() -> plain.stderr().contains("silent for"));
            assertThat(plain.stdout()).noneMatch(line -> line.startsWith("READY"));
            assertThat(bus.router().status().dealers()).extracting(RouterStatus.Dealer::id)
                    .containsExactly(worker.identity());
            assertThat(plain.stop()).as("SIGTERM ends it, though its goodbye has no connection").isZero();
        }
    }

    @Test
    void sampleClientCallsAJavaDealerOverCurveAndOneNotAdmittedTimesOut() {
        Path clientKeys = admitted("web");
        Path stranger = CurveKeys.save(CurveKeys.generate(), dir.resolve("strangers"), "stranger").get(1);
        CurveClientConfig javaCurve = javaCurve();
        try (Bus bus = curveBus();
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                        .environment(Bus.NO_ENV).curve(javaCurve).build().start()) {
            await().atMost(CURVE_TIMEOUT).until(dealer::isRegistered);
            String routerCertificate = dir.resolve("keys/router.key").toString();

            ClientRun run = python.client(bus.address(), "--timeout", "25",
                    "--curve-server-key", routerCertificate, "--curve-keys", clientKeys.toString(),
                    "--call", "EchoService.echo", "[\"sealed\"]", "--call", "EchoService.stream", "[0, 3]");
            assertThat(run.calls("EchoService.echo")).extracting(line -> line.path("result").asString())
                    .containsExactly("sealed");
            assertThat(run.calls("EchoService.stream")).extracting(line -> line.path("item").toString())
                    .containsExactly("0", "1", "2", "");
            assertThat(run.status()).as(run.stderr()).isZero();

            ClientRun refused = python.client(bus.address(), "--timeout", "2",
                    "--curve-server-key", routerCertificate, "--curve-keys", stranger.toString(),
                    "--call", "EchoService.echo", "[\"let me in\"]");
            assertThat(refused.op("timeout").path("error").asString()).startsWith("no answer within 2 s");
            assertThat(refused.calls("EchoService.echo")).isEmpty();
            assertThat(refused.status()).isEqualTo(1);
            assertThat(bus.router().status().totalRequests()).as("only the admitted client's calls").isEqualTo(2);
        }
    }

    @Test
    void theCurveOptionsGoTogether() {
        // "=": a Z85 key may start with "-", which argparse would take for an option
        ClientRun run = python.client("tcp://127.0.0.1:" + Bus.freePort(), "--curve-server-key=" + routerKeys.publicKey());
        assertThat(run.status()).isEqualTo(2); // argparse's usage error, before any connection
        assertThat(run.lines()).isEmpty();
        assertThat(run.stderr()).contains("--curve-server-key and --curve-keys go together");
    }
}

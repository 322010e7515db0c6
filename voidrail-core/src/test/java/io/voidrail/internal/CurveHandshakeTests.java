package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.ErrorCode;
import io.voidrail.VoidRailException;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.it.Bus;
import io.voidrail.it.EchoService;

/**
 * The greeting allowance of CURVE dealers and clients ({@link Sockets#HANDSHAKE_IVL_MS}). A connect that JeroMQ
 * stalls (zeromq/jeromq#1022) looks to the peer like a TCP connection that never sends its greeting; it must be
 * redone within about a second, CURVE or not. And the allowance must not cut a CURVE handshake that is merely slow:
 * JeroMQ's timer covers the greeting only, not the CURVE commands and the ZAP request that follow.
 */
class CurveHandshakeTests {

    private final CurveKeys.Pair routerKeys = CurveKeys.generate();
    private final CurveClientConfig curve = new CurveClientConfig(routerKeys.publicKey(), CurveKeys.generate());

    @Test
    void aCurveClientOrDealerWhoseGreetingIsNeverAnsweredConnectsAgainWithinASecondAndTheClientWaitsAtLeast5s() throws IOException {
        try (SilentListener listener = new SilentListener();
                ClientDealer client = ClientDealer.builder().routerAddress(listener.address()).environment(Bus.NO_ENV)
                        .curve(curve).connectTimeout(Duration.ofMillis(200)).build()) {
            long start = System.nanoTime();
            CompletableFuture<String> call = client.call("EchoService.echo").arg("x").timeout(Duration.ofSeconds(20))
                    .invokeAsync(String.class);
            // the first connection waits for a greeting that never comes; the old 10 s allowance made a stalled
            // connect wait that long too
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.accepted.get() >= 3);

            // a CURVE client's connect timeout is at least 5 s, whatever it was given: a cold handshake takes a second
            assertThatThrownBy(() -> call.get(15, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                    VoidRailException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        }
        try (SilentListener listener = new SilentListener();
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(listener.address()).environment(Bus.NO_ENV)
                        .service(new EchoService()).curve(curve).build().start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.accepted.get() >= 3);
        }
    }

    @Test
    void aCurveHandshakeSlowerThanTheAllowanceStillSucceedsOnItsFirstConnection() throws Exception {
        long zapDelayMs = 2 * Sockets.HANDSHAKE_IVL_MS + 500L;
        AtomicInteger zapRequests = new AtomicInteger();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket zap = context.createSocket(SocketType.REP);
            zap.bind(ZapHandler.ENDPOINT);
            ZMQ.Socket router = Sockets.tune(context.createSocket(SocketType.ROUTER), 1000);
            Sockets.curveServer(router, CurveServerConfig.of(routerKeys));
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            Thread slowZap = new Thread(() -> answerSlowly(zap, zapDelayMs, zapRequests), "slow-zap");
            slowZap.setDaemon(true);
            slowZap.start();

            ZMQ.Socket dealer = Sockets.tune(context.createSocket(SocketType.DEALER), 1000);
            Sockets.curveClient(dealer, curve);
            long start = System.nanoTime();
            dealer.connect("tcp://127.0.0.1:" + port);
            dealer.send("sealed");

            router.setReceiveTimeOut((int) (zapDelayMs + 10_000));
            byte[] identity = router.recv();
            assertThat(identity).as("the dealer's message, after the slow handshake").isNotNull();
            assertThat(router.recvStr()).isEqualTo("sealed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(zapDelayMs));
            // one handshake: the dealer never gave up on it and connected again
            assertThat(zapRequests.get()).isEqualTo(1);
            slowZap.interrupt();
        }
    }

    /** ZAP requests answered with 200 after {@code delayMs}, until the context closes. */
    private static void answerSlowly(ZMQ.Socket zap, long delayMs, AtomicInteger requests) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<byte[]> request = new ArrayList<>(List.of(zap.recv(0)));
                while (zap.hasReceiveMore()) {
                    request.add(zap.recv(0));
                }
                requests.incrementAndGet();
                Thread.sleep(delayMs);
                Sockets.send(zap, List.of(Frames.utf8("1.0"), request.get(1), Frames.utf8("200"), Frames.utf8("OK"),
                        Frames.EMPTY, Frames.EMPTY));
            }
        }
        catch (InterruptedException | RuntimeException ex) {
            // the test is over
        }
    }

    /** A TCP listener that accepts connections and never writes a byte: a ZeroMQ peer whose greeting never comes. */
    private static final class SilentListener implements AutoCloseable {

        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::accept, "silent-listener");

        SilentListener() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        String address() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    connections.add(server.accept());
                    accepted.incrementAndGet();
                }
            }
            catch (IOException ex) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}

package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.RouterMode;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;

/**
 * Router, dealer and client in one JVM talk over inproc: no TCP connection to the router's port exists, though they
 * were given its TCP address; a remote peer on the same router still uses TCP. The kernel's connection table
 * ({@code /proc/net/tcp}) is the witness.
 */
@EnabledOnOs(OS.LINUX)
class ColocationTests {

    @TempDir
    Path allowed;

    @Test
    void coLocatedRolesOpenNoTcpConnectionWhileARemotePeerStillCanCall() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            assertThat(client.invoke("EchoService.echo", String.class, "near")).isEqualTo("near");
            assertThat(client.invoke("EchoService.add", Integer.class, 2, 3)).isEqualTo(5);
            assertThat(connectionsTo(bus.router().port())).as("TCP connections to the router").isZero();
            try (RawPeer remote = new RawPeer(bus.address(), "remote-client-1")) {
                remote.send("call_from_client", "EchoService.echo",
                        "{\"type\": \"request\", \"request_id\": \"far-1\", \"args\": [\"far\"], \"kwargs\": {}}");
                List<String> answer = remote.receive("reply_from_router", 5000);
                assertThat(answer).isNotNull();
                assertThat(answer.get(answer.size() - 1)).contains("\"far-1\"").containsPattern("\"result\":\\s*\"far\"");
                assertThat(connectionsTo(bus.router().port())).as("the remote peer's connection").isEqualTo(1);
            }
        }
    }

    @Test
    void withoutCoLocationOrWithCurveTheyUseTcp() {
        try (Bus bus = Bus.start(b -> b.colocated(false))) {
            bus.dealer(new EchoService());
            assertThat(bus.client().invoke("EchoService.echo", String.class, "tcp")).isEqualTo("tcp");
            assertThat(connectionsTo(bus.router().port())).as("dealer and client over TCP").isEqualTo(2);
        }
        CurveKeys.Pair server = CurveKeys.generate();
        CurveKeys.Pair peer = CurveKeys.generate();
        CurveKeys.save(peer, allowed, "peer");
        CurveClientConfig curve = new CurveClientConfig(server.publicKey(), peer);
        try (Bus bus = Bus.start(b -> b.curve(CurveServerConfig.of(server).withAllowList(allowed)))) {
            bus.dealer(new EchoService(), b -> b.curve(curve));
            // room for one stalled handshake (JeroMQ redoes it after 1 s)
            assertThat(bus.client(b -> b.curve(curve).timeout(Duration.ofSeconds(25))).invoke("EchoService.echo", String.class, "curve"))
                    .isEqualTo("curve");
            assertThat(connectionsTo(bus.router().port())).as("encrypted over TCP").isEqualTo(2);
        }
    }

    /** inproc does not reconnect: a client whose co-located router closed opens a new connection to its successor. */
    @Test
    void aClientFindsARouterRestartedOnTheSamePortOverInprocAgain() {
        Bus first = Bus.start(RouterMode.FIFO);
        String address = first.address();
        ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                .timeout(Duration.ofSeconds(10)).build();
        try (first) {
            first.dealer(new EchoService());
            assertThat(client.invoke("EchoService.echo", String.class, "one")).isEqualTo("one");
            first.router().close();
        }
        try (client; Bus second = Bus.start(b -> b.address(address))) {
            second.dealer(new EchoService());
            assertThat(client.invoke("EchoService.echo", String.class, "two")).isEqualTo("two");
            assertThat(connectionsTo(second.router().port())).isZero();
        }
    }

    /** Established TCP connections whose local port is {@code port} (the router's side of each connection). */
    static int connectionsTo(int port) {
        try {
            String hex = String.format(":%04X", port);
            int count = 0;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) { // Java's sockets are often IPv6 ones
                count += (int) Files.readAllLines(Path.of(table)).stream().skip(1).map(String::strip)
                        .map(line -> line.split("\\s+")).filter(f -> f[1].endsWith(hex) && f[3].equals("01")).count();
            }
            return count;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

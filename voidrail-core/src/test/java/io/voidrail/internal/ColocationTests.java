package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Which addresses reach a router of this JVM over inproc, and when such a connection must be replaced. */
class ColocationTests {

    @Test
    void theBoundEndpointAndLoopbackNamesOfItsPortMatchOtherHostsAndPortsDoNot() {
        try (Registered loopback = new Registered("tcp://127.0.0.1:*"); Registered any = new Registered("tcp://0.0.0.0:*")) {
            int port = loopback.port();
            assertThat(Colocation.inprocFor("tcp://127.0.0.1:" + port)).isNotNull();
            assertThat(Colocation.inprocFor("tcp://localhost:" + port)).isNotNull();
            assertThat(Colocation.inprocFor(" tcp://LOCALHOST:" + port + " ")).isNotNull();
            assertThat(Colocation.inprocFor("tcp://10.1.2.3:" + port)).as("another machine, same port").isNull();
            assertThat(Colocation.inprocFor("tcp://127.0.0.1:" + (port == 65535 ? 1 : port + 1))).isNull();
            assertThat(Colocation.inprocFor("ipc:///tmp/x")).isNull();
            assertThat(Colocation.inprocFor("tcp://localhost:" + any.port())).as("a wildcard bind is on loopback too")
                    .isNotNull();
            assertThat(Colocation.inprocFor("tcp://127.0.0.1:" + port).endpoint())
                    .isNotEqualTo(Colocation.inprocFor("tcp://127.0.0.1:" + any.port()).endpoint());
        }
    }

    @Test
    void aConnectionToAClosedRouterIsNoLongerCurrentNorIsOneToItsSuccessor() {
        Colocation.Target first;
        int port;
        try (Registered router = new Registered("tcp://127.0.0.1:*")) {
            port = router.port();
            first = Colocation.inprocFor("tcp://127.0.0.1:" + port);
            assertThat(Colocation.current(first)).isTrue();
        }
        assertThat(Colocation.current(first)).isFalse();
        assertThat(Colocation.inprocFor("tcp://127.0.0.1:" + port)).as("nobody there: TCP").isNull();
        try (Registered successor = new Registered("tcp://127.0.0.1:" + port)) {
            Colocation.Target second = Colocation.inprocFor("tcp://127.0.0.1:" + port);
            assertThat(second.endpoint()).isNotEqualTo(first.endpoint());
            assertThat(Colocation.current(first)).isFalse();
            assertThat(Colocation.current(second)).isTrue();
        }
    }

    /** A ROUTER socket on the shared context, bound and registered as a router does it. */
    private static final class Registered implements AutoCloseable {

        private final SocketHome home = SocketHome.shared();
        private final String bound;

        Registered(String endpoint) {
            ZMQ.Socket socket = home.create(SocketType.ROUTER);
            socket.bind(endpoint);
            bound = socket.getLastEndpoint();
            Colocation.register(socket, bound);
        }

        int port() {
            return Addresses.port(bound);
        }

        @Override
        public void close() {
            Colocation.unregister(bound);
            home.close();
            Colocation.awaitReleased(bound, java.time.Duration.ofSeconds(2));
        }
    }
}

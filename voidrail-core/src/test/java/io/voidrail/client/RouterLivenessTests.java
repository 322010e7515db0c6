package io.voidrail.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The client's timing policy for one router, on a fake clock: heartbeat 1 s, connect timeout 5 s. */
class RouterLivenessTests {

    private static final long MS = 1_000_000L;
    private static final long T0 = 123_456_789L; // any nanoTime origin

    private final RouterLiveness liveness = new RouterLiveness(1000 * MS, 5000 * MS);

    @Test
    void readyOnlyAfterTheRouterDescribedItselfAndWhileItAnswers() {
        liveness.opened(T0);
        assertThat(liveness.state(T0)).isEqualTo(ConnectionState.CONNECTING);
        liveness.heard(T0 + 2 * MS); // auth_ack: heard, but not described yet
        assertThat(liveness.state(T0 + 2 * MS)).isEqualTo(ConnectionState.CONNECTING);
        liveness.heard(T0 + 3 * MS);
        liveness.described();
        assertThat(liveness.state(T0 + 3 * MS)).isEqualTo(ConnectionState.READY);
        assertThat(liveness.state(T0 + 1252 * MS)).isEqualTo(ConnectionState.READY);
        assertThat(liveness.overdue(T0 + 1252 * MS)).isFalse();
        assertThat(liveness.state(T0 + 1253 * MS)).isEqualTo(ConnectionState.CONNECTING); // 1.25 intervals of silence
        assertThat(liveness.overdue(T0 + 1253 * MS)).isTrue();
    }

    @Test
    void pingsAfterHalfAnIntervalOfSilenceAtMostOncePerHalfInterval() {
        liveness.opened(T0);
        assertThat(liveness.pingDue(T0 + 499 * MS)).isFalse();
        assertThat(liveness.pingDue(T0 + 500 * MS)).isTrue();
        liveness.pinged(T0 + 500 * MS);
        assertThat(liveness.pingDue(T0 + 900 * MS)).isFalse();
        liveness.heard(T0 + 950 * MS);
        assertThat(liveness.pingDue(T0 + 1200 * MS)).isFalse();
        assertThat(liveness.pingDue(T0 + 1450 * MS)).isTrue();
    }

    @Test
    void unavailableAfterTheConnectTimeoutOnceUntilHeardAgain() {
        liveness.opened(T0);
        assertThat(liveness.becameUnavailable(T0 + 4999 * MS)).isFalse();
        assertThat(liveness.becameUnavailable(T0 + 5000 * MS)).isTrue();
        assertThat(liveness.becameUnavailable(T0 + 6000 * MS)).isFalse(); // said once
        assertThat(liveness.state(T0 + 6000 * MS)).isEqualTo(ConnectionState.UNAVAILABLE);
        assertThat(liveness.silentNanos(T0 + 6000 * MS)).isEqualTo(6000 * MS);
        liveness.heard(T0 + 7000 * MS);
        assertThat(liveness.isUnavailable()).isFalse();
        assertThat(liveness.state(T0 + 7000 * MS)).isEqualTo(ConnectionState.CONNECTING); // not described on this connection
    }

    @Test
    void anUnavailableRoutersConnectionIsReplacedOncePerConnectTimeout() {
        liveness.opened(T0);
        liveness.becameUnavailable(T0 + 5000 * MS);
        assertThat(liveness.reopenDue(T0 + 5000 * MS)).isTrue();
        liveness.opened(T0 + 5000 * MS);
        assertThat(liveness.reopenDue(T0 + 9999 * MS)).isFalse();
        assertThat(liveness.reopenDue(T0 + 10_000 * MS)).isTrue();
        // a new connection does not reset the silence: it is still counted from the first connect
        assertThat(liveness.silentNanos(T0 + 10_000 * MS)).isEqualTo(10_000 * MS);
    }

    @Test
    void theConnectTimeoutIsNeverShorterThanTheReadyBound() {
        RouterLiveness quick = new RouterLiveness(1000 * MS, 100 * MS);
        quick.opened(T0);
        assertThat(quick.becameUnavailable(T0 + 1249 * MS)).isFalse();
        assertThat(quick.becameUnavailable(T0 + 1250 * MS)).isTrue();
    }

    @Test
    void heardAfterTellsWhetherTheRouterSpokeSinceACallWasSent() {
        liveness.opened(T0);
        long sent = T0 + 10 * MS;
        assertThat(liveness.heardAfter(sent)).isFalse();
        liveness.heard(T0 + 20 * MS);
        assertThat(liveness.heardAfter(sent)).isTrue();
    }

    @Test
    void verdictGraceIsAQuarterOfTheTimeoutBetween100And250Ms() {
        assertThat(ClientLoop.verdictGraceNanos(100 * MS)).isEqualTo(100 * MS);
        assertThat(ClientLoop.verdictGraceNanos(800 * MS)).isEqualTo(200 * MS);
        assertThat(ClientLoop.verdictGraceNanos(30_000 * MS)).isEqualTo(250 * MS);
        assertThat(ClientLoop.seconds(5000 * MS)).isEqualTo("5 s");
        assertThat(ClientLoop.seconds(5240 * MS)).isEqualTo("5.2 s");
    }
}

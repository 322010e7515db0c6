package io.voidrail.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The charts' history, driven by made-up snapshots and times. */
class HistoryTests {

    private final History history = new History(60_000, 100);

    @Test
    void ratesComeFromTheCountersBetweenTwoSamples() {
        history.add(10_000, snapshot(100, method("Svc.a", 50, 40, 2.5, 3.0, 9.0)));
        history.add(12_000, snapshot(130, method("Svc.a", 70, 60, 2.5, 4.0, 12.0)));

        History.View view = history.view(8);
        assertThat(view.t()).containsExactly(10.0, 12.0);
        // the first sample has no previous one: no total, and the router's own one-minute rate per method
        assertThat(view.total()).containsExactly(null, 15.0);
        History.Series a = view.methods().get("Svc.a");
        assertThat(a.rate().get(0)).isEqualTo(2.5);
        assertThat(a.rate().get(1)).isCloseTo(10.0, within(1e-9));
        assertThat(a.p50()).containsExactly(3.0, 4.0);
        assertThat(a.p99()).containsExactly(9.0, 12.0);
    }

    @Test
    void anUnreachableRouterLeavesAGapAndARestartedOneNoNegativeRate() {
        history.add(0, snapshot(100, method("Svc.a", 10, 10, 1, 1, 1)));
        history.add(2_000, snapshot(100, method("Svc.a", 10, 10, 1, 1, 1)).unreachable("down"));
        history.add(4_000, snapshot(5, method("Svc.a", 5, 5, 1, 0, 0)));

        History.View view = history.view(8);
        assertThat(view.t()).containsExactly(0.0, 4.0);
        assertThat(view.total()).containsExactly(null, null);
        // nothing answered in the router's window: the latency lines have a gap rather than a zero
        assertThat(view.methods().get("Svc.a").p99()).containsExactly(1.0, null);
    }

    @Test
    void keepsOnlyTheWindowAndTheBusiestMethods() {
        for (int i = 0; i <= 100; i++) {
            history.add(i * 1_000L, snapshot(i * 10L, method("Busy.x", i * 9L, i * 9L, 0, 1, 1),
                    method("Quiet.y", i, i, 0, 1, 1), method("Never.called", 0, 0, 0, 0, 0)));
        }
        History.View view = history.view(1);
        assertThat(view.t()).hasSize(61).first().isEqualTo(40.0);
        assertThat(view.methods()).containsOnlyKeys("Busy.x");
        assertThat(history.view(8).methods()).containsOnlyKeys("Busy.x", "Quiet.y");
    }

    private static BusSnapshot.Method method(String name, long calls, long answered, double perSecond, double p50,
            double p99) {
        return new BusSnapshot.Method(name, 1, 0, 0, 1, 0, calls, answered, 0, perSecond, p50, p99);
    }

    private static BusSnapshot snapshot(long totalResponses, BusSnapshot.Method... methods) {
        BusSnapshot.Router router = new BusSnapshot.Router("fifo", 1, false, false, "voidrail-java/1.0", 30, 0,
                totalResponses, 0, 0);
        return new BusSnapshot(true, "tcp://127.0.0.1:5555", true, null, router, List.of(), Arrays.asList(methods),
                Map.of(), List.of());
    }
}

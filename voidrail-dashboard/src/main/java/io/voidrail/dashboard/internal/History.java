package io.voidrail.dashboard.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The last minutes of the bus for the charts: per sample, calls answered per second (from the router's counters
 * between two samples, so the line follows the load at once) and each method's p50/p99 (the router's one-minute
 * window). Bounded by age and by point count. Policy only: callers pass the time. Thread-safe.
 */
public final class History {

    private final long lengthMs;
    private final int maxPoints;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private @Nullable Counters previous;

    public History(long lengthMs, int maxPoints) {
        this.lengthMs = lengthMs;
        this.maxPoints = maxPoints;
    }

    /** Adds a sample; an unreachable snapshot adds nothing (a gap, not a drop to zero). */
    public synchronized void add(long nowEpochMs, BusSnapshot snapshot) {
        if (!snapshot.reachable()) {
            return;
        }
        Counters counters = Counters.of(nowEpochMs, snapshot);
        Counters before = previous;
        double seconds = before == null ? 0 : (nowEpochMs - before.atMs) / 1000.0;
        boolean comparable = before != null && seconds > 0 && counters.totalResponses >= before.totalResponses;
        Double total = comparable ? (counters.totalResponses - before.totalResponses) / seconds : null;
        Map<String, double[]> methods = new HashMap<>();
        for (BusSnapshot.Method method : snapshot.methods()) {
            if (method.calls() == 0) {
                continue; // offered, never called: nothing to draw
            }
            double rate = method.callsPerSecond(); // the first sample: the router's one-minute rate
            if (comparable) {
                long was = before.answered.getOrDefault(method.name(), 0L);
                rate = method.answered() >= was ? (method.answered() - was) / seconds : 0;
            }
            methods.put(method.name(), new double[] { rate, method.p50Ms(), method.p99Ms() });
        }
        points.addLast(new Point(nowEpochMs, total, methods));
        while (points.size() > maxPoints || nowEpochMs - points.peekFirst().atMs > lengthMs) {
            points.removeFirst();
        }
        previous = counters;
    }

    /** The series of the {@code maxMethods} busiest methods, aligned on {@code t}; null marks a gap. */
    public synchronized View view(int maxMethods) {
        Map<String, Double> load = new HashMap<>();
        for (Point point : points) {
            point.methods.forEach((method, values) -> load.merge(method, values[0], Double::sum));
        }
        List<String> busiest = load.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                        .thenComparing(Map.Entry.<String, Double>comparingByKey()))
                .limit(maxMethods).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
        List<Double> t = new ArrayList<>(points.size());
        List<@Nullable Double> total = new ArrayList<>(points.size());
        Map<String, Series> series = new LinkedHashMap<>();
        busiest.forEach(method -> series.put(method, new Series(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
        for (Point point : points) {
            t.add(point.atMs / 1000.0);
            total.add(point.total);
            series.forEach((method, s) -> {
                double[] values = point.methods.get(method);
                s.rate.add(values == null ? null : values[0]);
                // a 0 percentile means nothing was answered in the router's window: a gap, not a fast call
                s.p50.add(values == null || values[1] == 0 ? null : values[1]);
                s.p99.add(values == null || values[2] == 0 ? null : values[2]);
            });
        }
        return new View(t, total, series);
    }

    /** Epoch seconds (as uPlot wants them), the total rate, and per method its rate, p50 and p99 in ms. */
    public record View(List<Double> t, List<@Nullable Double> total, Map<String, Series> methods) {
    }

    public record Series(List<@Nullable Double> rate, List<@Nullable Double> p50, List<@Nullable Double> p99) {
    }

    private record Point(long atMs, @Nullable Double total, Map<String, double[]> methods) {
    }

    private record Counters(long atMs, long totalResponses, Map<String, Long> answered) {

        static Counters of(long atMs, BusSnapshot snapshot) {
            Map<String, Long> answered = new HashMap<>();
            snapshot.methods().forEach(method -> answered.put(method.name(), method.answered()));
            return new Counters(atMs, snapshot.router().totalResponses(), answered);
        }
    }
}

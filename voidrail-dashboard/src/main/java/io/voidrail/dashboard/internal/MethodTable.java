package io.voidrail.dashboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Joins the three views the router gives of a method (dealers offering it, its queue, its figures) into one row. */
final class MethodTable {

    private final Map<String, Row> rows = new TreeMap<>();

    void offered(List<String> methods) {
        methods.forEach(method -> row(method).offeredBy++);
    }

    void queue(String method, int length, long oldestWaitMs, int available, int busy) {
        Row row = row(method);
        row.queueLength = length;
        row.oldestWaitMs = oldestWaitMs;
        row.available = available;
        row.busy = busy;
    }

    void figures(String method, long calls, long succeeded, long failed, double perSecond, double p50, double p99) {
        Row row = row(method);
        row.calls = calls;
        row.succeeded = succeeded;
        row.failed = failed;
        row.perSecond = perSecond;
        row.p50 = p50;
        row.p99 = p99;
    }

    List<BusSnapshot.Method> build() {
        List<BusSnapshot.Method> result = new ArrayList<>(rows.size());
        rows.forEach((name, r) -> result.add(new BusSnapshot.Method(name, r.offeredBy, r.queueLength, r.oldestWaitMs,
                r.available, r.busy, r.calls, r.succeeded, r.failed, r.perSecond, r.p50, r.p99)));
        return List.copyOf(result);
    }

    private Row row(String method) {
        return rows.computeIfAbsent(method, m -> new Row());
    }

    private static final class Row {
        int offeredBy;
        int queueLength;
        long oldestWaitMs;
        int available;
        int busy;
        long calls;
        long succeeded;
        long failed;
        double perSecond;
        double p50;
        double p99;
    }
}

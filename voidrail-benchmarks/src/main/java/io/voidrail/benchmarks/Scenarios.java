package io.voidrail.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.voidrail.RouterMode;

/** Every scenario, by name, in the order a full run measures them. */
final class Scenarios {

    /** The scenario every other one is compared with. */
    static final String BASELINE = "jeromq-raw";

    private static final Map<String, Supplier<Scenario>> ALL = new LinkedHashMap<>();
    /** Each scenario's raw baseline, where it is not {@link #BASELINE}. */
    private static final Map<String, String> BASELINES = new LinkedHashMap<>();
    private static final int KIB_64 = 64 * 1024;
    private static final int MIB_1 = 1024 * 1024;

    static {
        ALL.put(BASELINE, () -> new JeroMqBaseline(BASELINE, false, 0));
        ALL.put("jeromq-json", () -> new JeroMqBaseline("jeromq-json", true, 0));
        ALL.put("jeromq-raw-1slot", () -> new JeroMqBaseline("jeromq-raw-1slot", false, 1));
        ALL.put("jeromq-stock-1slot", () -> new JeroMqBaseline("jeromq-stock-1slot", false, 1, true));
        ALL.put("pyzmq-raw-1slot", () -> new PyZmqBaseline("pyzmq-raw-1slot"));
        ALL.put("voidrail-fifo", () -> new VoidRailScenario("voidrail-fifo", RouterMode.FIFO, 1, 0));
        ALL.put("voidrail-fifo-1slot", () -> new VoidRailScenario("voidrail-fifo-1slot", RouterMode.FIFO, 1, 1));
        ALL.put("voidrail-fifo-4x1slot", () -> new VoidRailScenario("voidrail-fifo-4x1slot", RouterMode.FIFO, 4, 1));
        ALL.put("voidrail-lb", () -> new VoidRailScenario("voidrail-lb", RouterMode.LOAD_BALANCE, 1, 0));
        ALL.put("voidrail-fifo-colocated",
                () -> VoidRailScenario.colocated("voidrail-fifo-colocated", RouterMode.FIFO, 1, 0));
        ALL.put("voidrail-fifo-1slot-colocated",
                () -> VoidRailScenario.colocated("voidrail-fifo-1slot-colocated", RouterMode.FIFO, 1, 1));
        ALL.put("voidrail-lb-colocated",
                () -> VoidRailScenario.colocated("voidrail-lb-colocated", RouterMode.LOAD_BALANCE, 1, 0));
        ALL.put("voidrail-stream-100k", () -> VoidRailScenario.stream("voidrail-stream-100k", 100_000));
        sized("64k", KIB_64, 20);
        sized("1m", MIB_1, 400);
        BASELINES.put("jeromq-stock-1slot", "jeromq-raw-1slot");
        BASELINES.put("pyzmq-raw-1slot", "jeromq-raw-1slot");
        BASELINES.put("voidrail-fifo-1slot", "jeromq-raw-1slot");
        // co-location is measured against the same roles over TCP, in the same run
        BASELINES.put("voidrail-fifo-colocated", "voidrail-fifo");
        BASELINES.put("voidrail-fifo-1slot-colocated", "voidrail-fifo-1slot");
        BASELINES.put("voidrail-lb-colocated", "voidrail-lb");
    }

    /** A one-slot broker and FIFO with one slot, both moving {@code bytes}-long strings. */
    private static void sized(String suffix, int bytes, int divisor) {
        String raw = "jeromq-raw-1slot-" + suffix;
        String voidrail = "voidrail-fifo-1slot-" + suffix;
        ALL.put(raw, () -> new SizedScenario(new JeroMqBaseline(raw, false, 1), bytes, divisor));
        ALL.put(voidrail, () -> new SizedScenario(new VoidRailScenario(voidrail, RouterMode.FIFO, 1, 1), bytes, divisor));
        BASELINES.put(voidrail, raw);
    }

    static final List<String> NAMES = List.copyOf(ALL.keySet());

    /** The scenario the RESULT line reports: what every user gets (FIFO, one slot), against its raw baseline. */
    static final String HEADLINE = "voidrail-fifo-1slot";

    /** The raw baseline each scenario is compared with: one-slot scenarios with the one-slot broker of their payload. */
    static String baselineOf(String name) {
        return BASELINES.getOrDefault(name, BASELINE);
    }

    private Scenarios() {
    }

    /** The named scenarios, or all of them when {@code names} is empty. */
    static List<Scenario> select(List<String> names) {
        List<Scenario> selected = new ArrayList<>();
        for (String name : names.isEmpty() ? NAMES : names) {
            Supplier<Scenario> factory = ALL.get(name);
            if (factory == null) {
                throw new IllegalArgumentException("Unknown scenario '" + name + "'; known: " + String.join(", ", NAMES));
            }
            selected.add(factory.get());
        }
        return selected;
    }
}

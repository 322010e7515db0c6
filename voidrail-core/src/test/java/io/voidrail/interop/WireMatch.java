package io.voidrail.interop;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.voidrail.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares a message a Java peer produced with the recorded one: same type token, same frame count, equal text
 * frames, and JSON frames with the same keys and values, except what {@link Rules} names: values that differ on
 * every run (ids, timings, process ids, ports, keys), and extension keys the Java side may add (PROTOCOL.md
 * section 9). A rule names a key anywhere in the tree ({@code "pid"}) or one path ({@code "result.address"}).
 */
final class WireMatch {

    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private WireMatch() {
    }

    static Rules rules() {
        return new Rules();
    }

    static JsonNode parse(String frame) {
        return MAPPER.readTree(frame);
    }

    /** Fails with every difference listed. */
    static void assertMatches(String what, List<String> actual, List<String> expected, Rules rules) {
        List<String> differences = differences(actual, expected, rules);
        if (!differences.isEmpty()) {
            fail("%s differs from the recording:%n  %s%nactual:   %s%nrecorded: %s", what,
                    String.join(System.lineSeparator() + "  ", differences), actual, expected);
        }
    }

    /** Every difference between the frames, empty when they match. */
    static List<String> differences(List<String> actual, List<String> expected, Rules rules) {
        List<String> out = new ArrayList<>();
        if (actual.isEmpty() || expected.isEmpty()) {
            out.add("no frames");
            return out;
        }
        if (!actual.get(0).equals(expected.get(0))) {
            out.add("token: " + actual.get(0) + " instead of " + expected.get(0));
            return out;
        }
        if (actual.size() != expected.size()) {
            out.add("frame count: " + actual.size() + " instead of " + expected.size());
            return out;
        }
        for (int i = 1; i < expected.size(); i++) {
            JsonNode recorded = jsonOrNull(expected.get(i));
            if (recorded == null) {
                if (!actual.get(i).equals(expected.get(i))) {
                    out.add("frame " + i + ": '" + actual.get(i) + "' instead of '" + expected.get(i) + "'");
                }
                continue;
            }
            JsonNode produced = jsonOrNull(actual.get(i));
            if (produced == null) {
                out.add("frame " + i + ": not JSON: '" + actual.get(i) + "'");
                continue;
            }
            compare("", produced, recorded, rules, out);
        }
        return out;
    }

    /** Fails with every difference between two JSON values listed. */
    static void assertJsonMatches(String what, JsonNode actual, JsonNode expected, Rules rules) {
        List<String> differences = new ArrayList<>();
        compare("", actual, expected, rules, differences);
        if (!differences.isEmpty()) {
            fail("%s differs from the recording:%n  %s%nactual:   %s%nrecorded: %s", what,
                    String.join(System.lineSeparator() + "  ", differences), actual, expected);
        }
    }

    private static JsonNode jsonOrNull(String frame) {
        String text = frame.strip();
        if (!text.startsWith("{") && !text.startsWith("[")) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private static void compare(String path, JsonNode actual, JsonNode expected, Rules rules, List<String> out) {
        String where = path.isEmpty() ? "(root)" : path;
        if (expected.isObject()) {
            if (!actual.isObject()) {
                out.add(where + ": " + actual + " instead of an object");
                return;
            }
            for (String key : expected.propertyNames()) {
                String child = path.isEmpty() ? key : path + "." + key;
                if (!actual.has(key)) {
                    out.add(child + ": missing (recorded " + expected.get(key) + ")");
                    continue;
                }
                Check check = rules.checkFor(key, child);
                if (check != null) {
                    if (!check.test().test(actual.get(key))) {
                        out.add(child + ": " + actual.get(key) + " is not " + check.description());
                    }
                }
                else if (!rules.ignores(key, child)) {
                    compare(child, actual.get(key), expected.get(key), rules, out);
                }
            }
            for (String key : actual.propertyNames()) {
                String child = path.isEmpty() ? key : path + "." + key;
                if (!expected.has(key)) {
                    if (!rules.allowsExtra(key, child)) {
                        out.add(child + ": unexpected key (value " + actual.get(key) + ")");
                    }
                    else {
                        Check check = rules.checkFor(key, child);
                        if (check != null && !check.test().test(actual.get(key))) {
                            out.add(child + ": " + actual.get(key) + " is not " + check.description());
                        }
                    }
                }
            }
        }
        else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(where + ": " + actual + " instead of " + expected);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", actual.get(i), expected.get(i), rules, out);
            }
        }
        else if (expected.isNumber()) {
            if (!actual.isNumber() || actual.isIntegralNumber() != expected.isIntegralNumber()
                    || actual.decimalValue().compareTo(expected.decimalValue()) != 0) {
                out.add(where + ": " + actual + " instead of " + expected);
            }
        }
        else if (!actual.equals(expected)) {
            out.add(where + ": " + actual + " instead of " + expected);
        }
    }

    record Check(String description, Predicate<JsonNode> test) {
    }

    /** What the comparison lets differ. Immutable: every method returns a copy. */
    static final class Rules {

        private final Set<String> ignored;
        private final Set<String> extra;
        private final Map<String, Check> checks;

        private Rules() {
            this(Set.of(), Set.of(), Map.of());
        }

        private Rules(Set<String> ignored, Set<String> extra, Map<String, Check> checks) {
            this.ignored = ignored;
            this.extra = extra;
            this.checks = checks;
        }

        /** Values not compared (they differ on every run); the key must still be there. */
        Rules ignore(String... keys) {
            Set<String> set = new HashSet<>(ignored);
            set.addAll(Arrays.asList(keys));
            return new Rules(Set.copyOf(set), extra, checks);
        }

        /** Keys the Java side may add; nothing else may be added. */
        Rules allowExtra(String... keys) {
            Set<String> set = new HashSet<>(extra);
            set.addAll(Arrays.asList(keys));
            return new Rules(ignored, Set.copyOf(set), checks);
        }

        /** The value must satisfy this instead of equalling the recorded one (also applies to an allowed extra key). */
        Rules check(String key, String description, Predicate<JsonNode> test) {
            Map<String, Check> map = new LinkedHashMap<>(checks);
            map.put(key, new Check(description, test));
            return new Rules(ignored, extra, Map.copyOf(map));
        }

        /** A fresh router id: any UUID (Python routers make one up for every ack and error). */
        Rules freshRequestId() {
            return check("request_id", "a UUID", node -> node.isString() && UUID.matcher(node.asString()).matches());
        }

        /** The error {@code code} of PROTOCOL.md section 9 that Java peers add to error JSON. */
        Rules errorCodeAllowed() {
            return allowExtra("code").check("code", "an error code of PROTOCOL.md section 9",
                    node -> node.isString() && !ErrorCode.fromWire(node.asString()).equals(ErrorCode.UNKNOWN));
        }

        boolean ignores(String key, String path) {
            return ignored.contains(key) || ignored.contains(path);
        }

        boolean allowsExtra(String key, String path) {
            return extra.contains(key) || extra.contains(path);
        }

        Check checkFor(String key, String path) {
            Check byPath = checks.get(path);
            return byPath != null ? byPath : checks.get(key);
        }
    }
}

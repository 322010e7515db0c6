package io.voidrail.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recorded Python VoidRail traffic ({@code /interop/python-voidrail-v1-frames.jsonl} on the test classpath,
 * described in the README next to it): scenario name to its messages, in the order the Python router handled them.
 */
final class Vectors {

    static final String RESOURCE = "/interop/python-voidrail-v1-frames.jsonl";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, List<Message>> SCENARIOS = load();

    private Vectors() {
    }

    /** Every scenario, in file order. */
    static Map<String, List<Message>> all() {
        return SCENARIOS;
    }

    static List<Message> scenario(String name) {
        List<Message> messages = SCENARIOS.get(name);
        if (messages == null) {
            throw new IllegalArgumentException("No recorded scenario " + name + " in " + RESOURCE);
        }
        return messages;
    }

    /** The one message of a scenario with this sequence number. */
    static Message message(String scenario, int seq) {
        return scenario(scenario).stream().filter(m -> m.seq() == seq).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No message " + seq + " in " + scenario));
    }

    /** The first message of a scenario that matches. */
    static Message first(String scenario, Predicate<Message> filter) {
        return scenario(scenario).stream().filter(filter).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No such message in " + scenario));
    }

    private static Map<String, List<Message>> load() {
        Map<String, List<Message>> scenarios = new LinkedHashMap<>();
        try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = MAPPER.readTree(line);
                List<String> frames = new ArrayList<>();
                for (JsonNode frame : node.get("frames")) {
                    frames.add(frame.has("utf8") ? frame.get("utf8").asString()
                            : new String(HexFormat.of().parseHex(frame.get("hex").asString()), StandardCharsets.UTF_8));
                }
                Message message = new Message(node.get("scenario").asString(), node.get("seq").asInt(),
                        node.get("direction").asString().equals("to_router"), node.get("peer_role").asString(),
                        node.get("peer").asString(), node.get("t_ms").asLong(), List.copyOf(frames));
                scenarios.computeIfAbsent(message.scenario(), s -> new ArrayList<>()).add(message);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, List<Message>> result = new LinkedHashMap<>();
        scenarios.forEach((name, messages) -> result.put(name, List.copyOf(messages)));
        return Collections.unmodifiableMap(result);
    }

    /**
     * One recorded multipart message. {@code frames.get(0)} is the routing identity as the ROUTER saw it; a
     * DEALER peer sends or receives {@link #body()}.
     *
     * @param toRouter {@code true} when the router received it, {@code false} when the router sent it
     * @param peer     the placeholder of the other end, e.g. {@code <client-1>}
     */
    record Message(String scenario, int seq, boolean toRouter, String peerRole, String peer, long tMs,
            List<String> frames) {

        /** The frames a DEALER peer sends or receives: everything after the routing identity. */
        List<String> body() {
            return frames.subList(1, frames.size());
        }

        /** The type token. */
        String token() {
            return frames.get(1);
        }

        boolean isDealer() {
            return peerRole.equals("dealer");
        }

        /** The last frame parsed as JSON (where every payload lives). */
        JsonNode json() {
            return MAPPER.readTree(frames.get(frames.size() - 1));
        }

        /** The same message with other frames (a documented Java deviation, built from the recorded one). */
        Message withFrames(List<String> replaced) {
            return new Message(scenario, seq, toRouter, peerRole, peer, tMs, List.copyOf(replaced));
        }

        @Override
        public String toString() {
            return scenario + "#" + seq + (toRouter ? " -> " : " <- ") + peer + " " + token();
        }
    }
}

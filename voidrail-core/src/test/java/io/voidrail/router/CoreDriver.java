package io.voidrail.router;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.status.DealerState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives a {@link RouterCore} as its loop would, on a fake clock: messages in, the outbox out, timers fired exactly
 * when the core asks. Nothing sleeps; {@link #advance} moves both clocks.
 */
final class CoreDriver {

    static final JsonCodec CODEC = JsonCodec.defaults();

    /** A message the core sent: to whom, which type, its frames after the type, its JSON (last frame). */
    record Sent(String to, String token, List<byte[]> payload) {

        JsonNode json() {
            return CODEC.read(payload.get(payload.size() - 1));
        }

        String text(int index) {
            return new String(payload.get(index), StandardCharsets.UTF_8);
        }

        String code() {
            return json().path("code").asString("");
        }

        String error() {
            return json().path("error").asString("");
        }
    }

    long now = 5_000_000_000L;
    long wallMillis = 1_800_000_000_000L;
    final Outbox outbox = new Outbox();
    final RouterCore core;
    /** Identities whose dispatches the "socket" refuses (their connection is gone). */
    final Set<String> unreachable = new HashSet<>();
    private final List<Sent> sent = new ArrayList<>();
    /** Identities now sending from another connection than their default one ({@link #from}). */
    private final Map<String, String> connections = new HashMap<>();

    CoreDriver(Consumer<ServiceRouter.Builder> config) {
        ServiceRouter.Builder builder = ServiceRouter.builder().address("tcp://127.0.0.1:0")
                .environment(new AuthEnvironment(java.util.Map.of()));
        config.accept(builder);
        core = new RouterCore(builder.build().settings(), "tcp://127.0.0.1:5555", outbox, now, () -> wallMillis);
    }

    /** Moves the clocks, firing every timer on the way at its due time, as the loop's poll timeout would. */
    CoreDriver advance(Duration by) {
        long until = now + by.toNanos();
        while (core.nextTimer() - until <= 0) {
            long at = Math.max(core.nextTimer(), now);
            wallMillis += (at - now) / 1_000_000L;
            now = at;
            core.onTimer(now);
            flush();
        }
        wallMillis += (until - now) / 1_000_000L;
        now = until;
        return this;
    }

    // ---------------------------------------------------------------- inputs

    static ObjectNode registration(String group, String... methods) {
        ObjectNode register = CODEC.object().put("group", group);
        ObjectNode table = register.putObject("methods");
        for (String method : methods) {
            table.putObject(method).putObject("metadata");
        }
        return register;
    }

    /** A Java dealer: it announces heartbeats while busy, cancel and timeout; registers and heartbeats. */
    CoreDriver javaDealer(String id, String group, String... methods) {
        ObjectNode register = registration(group, methods);
        io.voidrail.internal.protocol.Protocol.DEALER_CAPABILITIES.forEach(register.putArray("capabilities")::add);
        return register(id, register).heartbeat(id);
    }

    /** A Python dealer: no capabilities, one slot; registers and heartbeats at once, as the recorded one. */
    CoreDriver pythonDealer(String id, String group, String... methods) {
        return register(id, registration(group, methods)).heartbeat(id);
    }

    CoreDriver register(String id, ObjectNode registration) {
        core.onRegister(now, peerOf(id), registration);
        flush();
        return this;
    }

    CoreDriver heartbeat(String id) {
        RouterCore.Peer peer = peerOf(id);
        core.heardFrom(peer, now);
        core.onHeartbeat(now, peer);
        flush();
        return this;
    }

    /** A call with a timeout in the Java client's form (timeout_ms); {@code timeoutMs < 0}: none. */
    CoreDriver call(String client, String requestId, String method, long timeoutMs) {
        ObjectNode request = CODEC.object().put("type", "request").put("request_id", requestId).put("func_name", method);
        if (timeoutMs >= 0) {
            request.put("timeout_ms", timeoutMs);
        }
        request.putArray("args");
        request.putObject("kwargs");
        return call(client, method, request);
    }

    CoreDriver call(String client, String method, ObjectNode request) {
        RouterCore.Peer peer = peerOf(client);
        core.heardFrom(peer, now);
        byte[] json = CODEC.write(request);
        core.onCall(now, peer, method, new Header.Reader(CODEC).read(json, Header.CALL_BODY), List.of(utf8(method), json));
        flush();
        return this;
    }

    CoreDriver reply(String dealer, String client, String requestId, Object result) {
        ObjectNode reply = CODEC.object().put("type", "reply").put("request_id", requestId);
        reply.set("result", CODEC.toTree(result));
        return replyFrame(dealer, client, reply);
    }

    CoreDriver replyFrame(String dealer, String client, ObjectNode reply) {
        RouterCore.Peer peer = peerOf(dealer);
        core.heardFrom(peer, now);
        core.onReply(now, peer, List.of(utf8(dealer), utf8("reply_from_dealer"), utf8(client), CODEC.write(reply)),
                reply);
        flush();
        return this;
    }

    CoreDriver cancel(String client, String requestId) {
        ObjectNode payload = CODEC.object().put("request_id", requestId);
        core.onCancel(now, peerOf(client), payload, CODEC.write(payload));
        flush();
        return this;
    }

    CoreDriver connectionClosed(String address) {
        core.connectionClosed(now, address);
        flush();
        return this;
    }

    /** A client's {@code auth} with this API key. */
    CoreDriver auth(String client, String apiKey) {
        core.onAuth(peerOf(client), CODEC.object().put("api_key", apiKey));
        flush();
        return this;
    }

    /** A dealer's {@code overload}, {@code resume} or {@code shutdown}. */
    CoreDriver signal(String id, MessageType type) {
        RouterCore.Peer peer = peerOf(id);
        core.heardFrom(peer, now);
        if (type == MessageType.SHUTDOWN) {
            core.onDealerShutdown(now, peer);
        }
        else {
            core.onLoadSignal(now, peer, type);
        }
        flush();
        return this;
    }

    CoreDriver query(String id, MessageType type) {
        core.onQuery(peerOf(id), type, now);
        flush();
        return this;
    }

    /** From now on, messages under this identity come from another connection ({@code null}: its own again). */
    CoreDriver from(String id, @org.jspecify.annotations.Nullable String address) {
        if (address == null) {
            connections.remove(id);
        }
        else {
            connections.put(id, address);
        }
        return this;
    }

    RouterCore.Peer peerOf(String id) {
        String address = connections.get(id);
        return address == null ? peer(id) : new RouterCore.Peer(utf8(id), id, address, null);
    }

    static RouterCore.Peer peer(String id) {
        return new RouterCore.Peer(utf8(id), id, "127.0.0.1:" + (10_000 + Math.abs(id.hashCode() % 50_000)), null);
    }

    static String addressOf(String id) {
        return peer(id).address();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- outputs

    /** Sends what the core put in its outbox; a dispatch to an unreachable identity goes back, as the socket's would. */
    private void flush() {
        Outbox.Message message;
        while ((message = outbox.poll()) != null) {
            String to = new String(message.frames().get(0), StandardCharsets.UTF_8);
            if (message.call() != null && unreachable.contains(to)) {
                core.undeliverable(now, message.dealer(), message.call());
                continue;
            }
            sent.add(new Sent(to, message.type().token(), List.copyOf(message.frames().subList(2, message.frames().size()))));
        }
    }

    /** Everything sent since the last look, then forgotten. */
    List<Sent> take() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    /** What was sent since the last look to one peer, with one type token; the rest is kept. */
    List<Sent> take(String to, MessageType type) {
        List<Sent> out = new ArrayList<>();
        sent.removeIf(message -> {
            boolean match = message.to().equals(to) && message.token().equals(type.token());
            if (match) {
                out.add(message);
            }
            return match;
        });
        return out;
    }

    /** Request ids of the calls dispatched to a dealer since the last look, in order. */
    List<String> dispatched(String dealer) {
        return take(dealer, MessageType.CALL_FROM_ROUTER).stream().map(m -> m.json().path("request_id").asString()).toList();
    }

    /** The one answer (reply_from_router) a client got since the last look; fails unless there is exactly one. */
    Sent answer(String client) {
        List<Sent> answers = take(client, MessageType.REPLY_FROM_ROUTER);
        if (answers.size() != 1) {
            throw new AssertionError("expected one answer to " + client + ", got " + answers.size() + ": "
                    + answers.stream().map(a -> a.json().toString()).toList());
        }
        return answers.get(0);
    }

    List<Sent> answers(String client) {
        return take(client, MessageType.REPLY_FROM_ROUTER);
    }

    /** A dealer's state by its routing identity (the status lists public ids, which differ with auth on). */
    DealerState state(String dealer) {
        return java.util.Objects.requireNonNull(core.dealers.get(dealer), dealer).state;
    }
}

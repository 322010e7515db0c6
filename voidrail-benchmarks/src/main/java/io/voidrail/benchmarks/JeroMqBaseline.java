package io.voidrail.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.Sockets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline: plain JeroMQ request/reply over the same path and frame shapes as VoidRail, with none
 * of its machinery (no mailboxes, worker pool, futures, dealer table or deadlines).
 *
 * <pre>
 * client DEALER --[call_from_client, method, json]--> broker ROUTER --[call_from_router, client, method, json]-->
 *   worker DEALER --[reply_from_dealer, client, json]--> broker ROUTER --[reply_from_router, json]--> client DEALER
 * </pre>
 *
 * <p>The broker and the worker each own one socket on their own thread; the client's socket is owned by
 * the calling thread, which keeps {@code window} calls in flight. In {@code json} mode every hop does the
 * JSON work VoidRail does (the client writes the request and reads the reply, the broker reads both, the
 * worker reads the request and writes the reply, all with VoidRail's codec); otherwise bytes are copied
 * from templates, which measures the transport alone.
 */
final class JeroMqBaseline implements Scenario {

    private static final long POLL_MS = 50;
    private static final byte[] CALL_FROM_CLIENT = ascii("call_from_client");
    private static final byte[] CALL_FROM_ROUTER = ascii("call_from_router");
    private static final byte[] REPLY_FROM_DEALER = ascii("reply_from_dealer");
    private static final byte[] REPLY_FROM_ROUTER = ascii("reply_from_router");
    private static final byte[] REGISTER = ascii("register");
    private static final byte[] REGISTER_ACK = ascii("register_ack");
    private static final byte[] METHOD = ascii(BenchEchoService.ECHO);
    private static final byte[] EMPTY_JSON = ascii("{}");
    private static final int HWM = 100_000;
    private static final Duration SETUP_BOUND = Duration.ofSeconds(10);

    private final String name;
    private final boolean json;
    /** Calls the broker lets the worker have at once (the rest wait in the broker's queue); 0 = no limit. */
    private final int slots;
    /** JeroMQ's sockets as shipped, without VoidRail's workaround of its signaler race ({@code JeroMqSignals}). */
    private final boolean stock;
    private final JsonCodec codec = JsonCodec.defaults();

    JeroMqBaseline(String name, boolean json, int slots) {
        this(name, json, slots, false);
    }

    JeroMqBaseline(String name, boolean json, int slots, boolean stock) {
        this.stock = stock;
        this.name = name;
        this.json = json;
        this.slots = slots;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        String what = json ? "raw JeroMQ ROUTER broker + 1 DEALER worker, JSON read/written at every hop like VoidRail"
                : "raw JeroMQ ROUTER broker + 1 DEALER worker, bytes copied (transport only)";
        what = stock ? what + ", JeroMQ as shipped (no signaler workaround)" : what;
        return slots == 0 ? what : what + ", broker queues: " + slots + " call(s) at the worker at a time";
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        Payloads payloads = new Payloads(options.payloadBytes());
        Broker broker = new Broker();
        Worker worker = null;
        // each role has its own context (one I/O thread), as VoidRail's router, dealer and client do
        try (ZContext context = context(); ZMQ.Poller poller = context.createPoller(1)) {
            String address = broker.start();
            worker = new Worker(address, payloads);
            worker.start();
            ZMQ.Socket socket = socket(context, SocketType.DEALER);
            socket.setIdentity(ascii(UUID.randomUUID().toString().replace("-", "")));
            socket.connect(address);
            poller.register(socket, ZMQ.Poller.POLLIN);
            Client client = new Client(socket, poller, payloads);
            // one call first, so neither phase pays for the connection's handshake
            PhaseResult first = client.drive(1, 1, SETUP_BOUND);
            if (first.succeeded() != 1) {
                throw new IllegalStateException("The baseline's first call got no answer within "
                        + SETUP_BOUND.toSeconds() + " s" + (first.firstError() == null ? "" : ": " + first.firstError()));
            }
            PhaseResult warmup = options.warmupCalls() == 0 ? null
                    : client.drive(options.warmupCalls(), options.window(), options.maxSeconds());
            if (warmup != null && !warmup.healthy()) {
                return ScenarioResult.warmupFailed(name, description(), warmup);
            }
            PhaseResult measured = client.drive(options.calls(), options.window(), options.maxSeconds());
            return new ScenarioResult(name, description(), measured, warmup);
        }
        finally {
            if (worker != null) {
                worker.stop();
            }
            broker.stop();
        }
    }

    // ---------------------------------------------------------------- client (the calling thread)

    /** The client's DEALER socket, used only by the thread that runs the phases. */
    private final class Client {

        private final ZMQ.Socket socket;
        private final ZMQ.Poller poller;
        private final Payloads payloads;

        Client(ZMQ.Socket socket, ZMQ.Poller poller, Payloads payloads) {
            this.socket = socket;
            this.poller = poller;
            this.payloads = payloads;
        }

        /** Keeps {@code window} calls in flight until {@code count} are answered or {@code bound} has passed. */
        PhaseResult drive(int count, int window, Duration bound) {
            Histogram latencies = PhaseResult.newHistogram();
            ProcessMeter meter = ProcessMeter.start();
            long base = System.nanoTime();
            long deadline = base + bound.toNanos();
            long giveUp = deadline + WindowedLoad.DRAIN_GRACE.toNanos();
            long lastAnswer = base;
            long issued = 0;
            long succeeded = 0;
            long failed = 0;
            long stall = WindowedLoad.stallBound(bound).toNanos();
            String firstError = null;
            boolean timedOut = false;
            boolean stalled = false;
            while (succeeded + failed < count) {
                long now = System.nanoTime();
                if (issued > succeeded + failed && now - lastAnswer > stall) {
                    stalled = true;
                    break;
                }
                if (now - deadline >= 0) {
                    timedOut = true;
                    if (issued == succeeded + failed || now - giveUp >= 0) {
                        break;
                    }
                }
                while (issued - succeeded - failed < window && issued < count && now - deadline < 0) {
                    byte[] request = request(payloads, issued, System.nanoTime() - base);
                    issued++;
                    if (!send(socket, CALL_FROM_CLIENT, METHOD, request)) {
                        failed++;
                        if (firstError == null) {
                            firstError = "cannot send: the client's queue is full";
                        }
                    }
                }
                poller.poll(POLL_MS);
                List<byte[]> frames;
                while ((frames = receive(socket)) != null) {
                    long at = System.nanoTime();
                    long sentOffset = -1;
                    String error = null;
                    if (frames.size() != 2 || !Arrays.equals(frames.get(0), REPLY_FROM_ROUTER)) {
                        error = "unexpected message with " + frames.size() + " frames";
                    }
                    else {
                        sentOffset = sentOffset(frames.get(1));
                        if (sentOffset < 0) {
                            error = "wrong reply";
                        }
                    }
                    if (error == null) {
                        latencies.recordValue(at - base - sentOffset);
                        succeeded++;
                    }
                    else {
                        failed++;
                        if (firstError == null) {
                            firstError = error;
                        }
                    }
                    lastAnswer = at;
                }
            }
            return new PhaseResult(count, succeeded, failed, Math.max(0, issued - succeeded - failed), lastAnswer - base,
                    latencies, timedOut, stalled, firstError, meter.cpuNanos(), meter.allocatedBytes());
        }

        /** The reply's send time (offset from the phase start), or -1 when the reply is not the expected one. */
        private long sentOffset(byte[] reply) {
            if (json) {
                JsonNode node = codec.readOrNull(reply);
                String id = node == null ? null : node.path("request_id").asString(null);
                String result = node == null ? null : node.path("result").asString(null);
                if (id == null || id.length() != Payloads.ID_LENGTH || !payloads.text.equals(result)) {
                    return -1;
                }
                return Payloads.sentOffset(id.getBytes(StandardCharsets.US_ASCII), 0);
            }
            if (reply.length != payloads.replyTemplate.length) {
                return -1;
            }
            return Payloads.sentOffset(reply, Payloads.REPLY_ID_OFFSET);
        }
    }

    private byte[] request(Payloads payloads, long index, long sentOffset) {
        if (json) {
            // as ClientDealer builds it: a tree, then bytes
            ObjectNode request = codec.object();
            request.put("type", "request");
            request.put("request_id", Payloads.id(index, sentOffset));
            request.put("func_name", BenchEchoService.ECHO);
            request.put("request_step", "READY");
            request.putArray("args").add(payloads.text);
            request.putObject("kwargs");
            request.put("deadline_ms", System.currentTimeMillis() + 30_000);
            return codec.write(request);
        }
        byte[] request = payloads.requestTemplate.clone();
        Payloads.writeId(request, Payloads.REQUEST_ID_OFFSET, index, sentOffset);
        return request;
    }

    // ---------------------------------------------------------------- broker

    /** One ROUTER socket on its own thread: forwards calls to the worker and replies to their client. */
    private final class Broker implements Runnable {

        private final CompletableFuture<String> bound = new CompletableFuture<>();
        private final Thread thread;
        private volatile boolean running = true;
        private byte @Nullable [] worker;
        /** Calls waiting for a free slot (only with {@code slots > 0}), oldest first. */
        private final ArrayDeque<byte[][]> queue = new ArrayDeque<>();
        private int atWorker;

        Broker() {
            this.thread = new Thread(this, "baseline-broker");
            this.thread.setDaemon(true);
        }

        String start() throws Exception {
            thread.start();
            return bound.get(10, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }

        @Override
        public void run() {
            try (ZContext context = context(); ZMQ.Poller poller = context.createPoller(1)) {
                ZMQ.Socket socket = socket(context, SocketType.ROUTER);
                socket.setRouterMandatory(true);
                socket.bind("tcp://127.0.0.1:*");
                bound.complete(socket.getLastEndpoint());
                poller.register(socket, ZMQ.Poller.POLLIN);
                while (running) {
                    poller.poll(POLL_MS);
                    List<byte[]> frames;
                    while ((frames = receive(socket)) != null) {
                        route(socket, frames);
                    }
                }
            }
            catch (RuntimeException ex) {
                bound.completeExceptionally(ex);
                if (running) {
                    System.err.println("baseline broker failed: " + ex);
                }
            }
        }

        private void route(ZMQ.Socket socket, List<byte[]> frames) {
            if (frames.size() < 2) {
                return;
            }
            byte[] sender = frames.get(0);
            byte[] type = frames.get(1);
            if (Arrays.equals(type, CALL_FROM_CLIENT) && frames.size() == 4 && worker != null) {
                byte[] request = frames.get(3);
                if (json) {
                    readRequestId(request); // what the router reads to track the call
                }
                byte[][] call = { worker, CALL_FROM_ROUTER, sender, frames.get(2), request };
                if (slots == 0 || atWorker < slots) {
                    atWorker++;
                    send(socket, call);
                }
                else {
                    queue.addLast(call);
                }
            }
            else if (Arrays.equals(type, REPLY_FROM_DEALER) && frames.size() == 4) {
                byte[] reply = frames.get(3);
                if (json) {
                    readRequestId(reply); // what the router reads to find the call it answers
                }
                send(socket, frames.get(2), REPLY_FROM_ROUTER, reply);
                atWorker--;
                byte[][] next = queue.pollFirst();
                if (next != null) {
                    atWorker++;
                    send(socket, next);
                }
            }
            else if (Arrays.equals(type, REGISTER)) {
                worker = sender;
                send(socket, sender, REGISTER_ACK, EMPTY_JSON);
            }
        }

        private @Nullable String readRequestId(byte[] message) {
            JsonNode node = codec.readOrNull(message);
            return node == null ? null : node.path("request_id").asString(null);
        }
    }

    // ---------------------------------------------------------------- worker

    /** One DEALER socket on its own thread: answers each call on that thread, in order. */
    private final class Worker implements Runnable {

        private final String address;
        private final Payloads payloads;
        private final CompletableFuture<Void> registered = new CompletableFuture<>();
        private final Thread thread;
        private volatile boolean running = true;

        Worker(String address, Payloads payloads) {
            this.address = address;
            this.payloads = payloads;
            this.thread = new Thread(this, "baseline-worker");
            this.thread.setDaemon(true);
        }

        void start() throws Exception {
            thread.start();
            registered.get(10, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }

        @Override
        public void run() {
            try (ZContext context = context(); ZMQ.Poller poller = context.createPoller(1)) {
                ZMQ.Socket socket = socket(context, SocketType.DEALER);
                socket.setIdentity(ascii("baseline-worker"));
                socket.connect(address);
                poller.register(socket, ZMQ.Poller.POLLIN);
                long lastRegister = System.nanoTime();
                send(socket, REGISTER, EMPTY_JSON);
                while (running) {
                    if (!registered.isDone() && System.nanoTime() - lastRegister > TimeUnit.MILLISECONDS.toNanos(500)) {
                        // the first may have been lost with a stalled handshake; the broker takes repeats
                        lastRegister = System.nanoTime();
                        send(socket, REGISTER, EMPTY_JSON);
                    }
                    poller.poll(POLL_MS);
                    List<byte[]> frames;
                    while ((frames = receive(socket)) != null) {
                        if (Arrays.equals(frames.get(0), CALL_FROM_ROUTER) && frames.size() == 4) {
                            send(socket, REPLY_FROM_DEALER, frames.get(1), answer(frames.get(3)));
                        }
                        else if (Arrays.equals(frames.get(0), REGISTER_ACK)) {
                            registered.complete(null);
                        }
                    }
                }
            }
            catch (RuntimeException ex) {
                registered.completeExceptionally(ex);
                if (running) {
                    System.err.println("baseline worker failed: " + ex);
                }
            }
        }

        private byte[] answer(byte[] request) {
            if (json) {
                JsonNode node = codec.read(request);
                ObjectNode reply = codec.object();
                reply.put("type", "reply");
                reply.put("request_id", node.path("request_id").asString());
                reply.set("result", node.path("args").path(0));
                return codec.write(reply);
            }
            byte[] reply = payloads.replyTemplate.clone();
            System.arraycopy(request, Payloads.REQUEST_ID_OFFSET, reply, Payloads.REPLY_ID_OFFSET, Payloads.ID_LENGTH);
            return reply;
        }
    }

    // ---------------------------------------------------------------- socket helpers

    /** A context as VoidRail makes them (JeroMQ's as shipped for the stock baseline). */
    private ZContext context() {
        return stock ? new ZContext(1) : Sockets.newContext();
    }

    /** The very sockets and settings VoidRail uses, so the baseline differs only in what VoidRail adds. */
    private ZMQ.Socket socket(ZContext context, SocketType type) {
        return Sockets.tune(stock ? context.createSocket(type) : Sockets.create(context, type), HWM);
    }

    private static @Nullable List<byte[]> receive(ZMQ.Socket socket) {
        return Sockets.receive(socket);
    }

    private static boolean send(ZMQ.Socket socket, byte[]... frames) {
        return Sockets.send(socket, frames);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.voidrail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.CallSpec;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code voidrail client}: looks at a router and calls methods, in the order list, router-info, queue-status, call. */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Asks a router what it serves and calls methods.",
                "Actions combine and run in the order --list, --router-info, --queue-status, --call." })
final class ClientCommand implements Callable<Integer> {

    /** The longest wait for the first answer, so that a router that is not there is reported quickly. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(5);
    private static final Duration PROBE_FLOOR = Duration.ofSeconds(1);
    /**
     * How much longer the client waits before it calls the router silent than the probe waits for its answer: with
     * both equal, the client's "has not answered" warning raced the command's own error and was printed before it.
     */
    private static final Duration SILENCE_MARGIN = Duration.ofSeconds(1);

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = { "-l", "--list" }, description = "List the methods on offer and the dealer instances.")
    boolean list;

    @Option(names = "--router-info", description = "Show the router's figures (mode, counts, uptime).")
    boolean routerInfo;

    @Option(names = "--queue-status", description = "Show each method's queue and its free and busy dealers.")
    boolean queueStatus;

    @Option(names = { "-c", "--call" }, paramLabel = "Group.method", description = "Call this method, e.g. EchoService.echo.")
    @Nullable String call;

    @Option(names = { "-a", "--args" }, paramLabel = "JSON",
            description = { "Arguments of --call: a JSON object gives keyword arguments, a JSON array positional ones, "
                    + "any other JSON value one argument, text that is not JSON one string. @FILE reads them from a "
                    + "file and - from standard input (for arguments too large for a command line)." })
    @Nullable String args;

    @Option(names = { "-t", "--timeout" }, defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for an answer (for a stream: for each item) (default: ${DEFAULT-VALUE}).")
    double timeout = 30;

    @Option(names = "--api-key", paramLabel = "KEY", description = "The client key, when the router requires one (default: VOIDRAIL_API_KEY).")
    @Nullable String apiKey;

    @Option(names = "--json", description = "Print one JSON object per line instead of tables.")
    boolean json;

    @Mixin
    CurveOptions.Peer curve = new CurveOptions.Peer();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @ParentCommand
    VoidRailCommand parent;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int sectionsPrinted;
    /** The action under way, named in its error. */
    private String doing = "";

    @Override
    public Integer call() {
        connection.validate(spec, false);
        if (args != null && call == null) {
            throw new ParameterException(spec.commandLine(), "--args needs --call");
        }
        if (!list && !routerInfo && !queueStatus && call == null) {
            throw new ParameterException(spec.commandLine(),
                    "Nothing to do: give --list, --router-info, --queue-status or --call");
        }
        if (call != null && call.indexOf('.') <= 0) {
            throw new ParameterException(spec.commandLine(), "--call takes Group.method, e.g. EchoService.echo; was '" + call + "'");
        }
        if (!(timeout > 0)) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, was " + timeout);
        }
        logging.apply(LoggingOptions.Level.WARNING, parent.debug);
        CallArguments arguments = args == null ? CallArguments.NONE : CallArguments.parse(argumentText(args));
        out = spec.commandLine().getOut();
        Duration wait = RouterCommand.seconds(timeout);
        // how long to wait for the router itself: the call's timeout, within [1 s, 5 s] (a very short call timeout
        // must not turn a busy machine's slow connect into "no router")
        Duration probe = wait.compareTo(PROBE_LIMIT) > 0 ? PROBE_LIMIT : wait.compareTo(PROBE_FLOOR) < 0 ? PROBE_FLOOR : wait;
        try (ClientDealer client = ClientDealer.builder().fromEnvironment().routerAddresses(connection.addresses())
                .timeout(wait)
                .connectTimeout(probe.plus(SILENCE_MARGIN)).apiKey(apiKey).curve(curve.config()).build()) {
            if (!client.ping(probe)) {
                throw CliException.failed("No VoidRail router answers at " + connection.describe() + " (waited "
                        + RouterCommand.plain(probe.toMillis() / 1000d) + " s)");
            }
            try {
                if (list) {
                    doing = "--list";
                    list(client);
                }
                if (routerInfo) {
                    doing = "--router-info";
                    routerInfo(client);
                }
                if (queueStatus) {
                    doing = "--queue-status";
                    queueStatus(client);
                }
                if (call != null) {
                    doing = call;
                    call(client, call, arguments);
                }
            }
            catch (VoidRailException ex) {
                throw new CliException(CliException.FAILED, explain(ex, client), ex);
            }
        }
        return 0;
    }

    /**
     * The text of {@code --args}: as given, or read from {@code @FILE} or from standard input ({@code -}); one
     * trailing line end of read text is dropped, as a shell's {@code $(...)} would.
     */
    private String argumentText(String value) {
        if (!value.equals("-") && !(value.startsWith("@") && value.length() > 1)) {
            return value;
        }
        String source = value.equals("-") ? "standard input" : "file " + value.substring(1);
        try (InputStream in = value.equals("-") ? System.in : Files.newInputStream(Path.of(value.substring(1)))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
        catch (NoSuchFileException ex) {
            throw new ParameterException(spec.commandLine(), "--args " + value + ": no such file");
        }
        catch (IOException ex) {
            throw new ParameterException(spec.commandLine(), "--args: cannot read " + source + ": " + ex.getMessage());
        }
    }

    private void list(ClientDealer client) {
        Map<String, MethodInfo> methods = client.discoverServices();
        RouterStatus status = client.getRouterInfo();
        Map<String, RouterStatus.Dealer> instances = new LinkedHashMap<>();
        status.dealers().forEach(dealer -> instances.put(dealer.id(), dealer));
        if (json) {
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("methods", methods);
            both.put("instances", instances);
            out.println(Json.write(both));
            return;
        }
        separate();
        out.println("Methods (" + methods.size() + ")");
        TextTable table = new TextTable("METHOD", "STREAM", "DESCRIPTION", "PARAMETERS");
        methods.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(method -> table.row(method.name(),
                method.stream() ? "yes" : "no", method.description() == null ? "" : method.description(),
                method.params().entrySet().stream().map(p -> p.getKey() + ": " + p.getValue())
                        .collect(Collectors.joining(", "))));
        table.print(out);
        long active = status.dealerCount(DealerState.ACTIVE);
        out.println();
        out.println("Instances (" + instances.size() + ", " + active + " active)");
        // LOAD: calls in flight of what the mode lets the router give the dealer (its slots in FIFO mode)
        boolean fifo = status.mode() != RouterMode.LOAD_BALANCE;
        TextTable dealers = new TextTable("INSTANCE", "GROUP", "STATE", "LOAD", "REQUESTS", "REPLIES");
        instances.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(i -> dealers.row(
                i.id(), i.group(), i.state().wireName(), i.inFlight() + "/" + (fifo ? i.slots() : i.maxConcurrent()),
                i.requestCount(), i.replyCount()));
        dealers.print(out);
    }

    private void routerInfo(ClientDealer client) {
        RouterStatus status = client.getRouterInfo();
        if (json) {
            out.println(Json.write(Map.of("router_info", status)));
            return;
        }
        separate();
        out.println("Router");
        // what the router does not report (a Python router: uptime, totals) stays empty
        TextTable table = new TextTable("KEY", "VALUE");
        table.row("mode", status.mode() == null ? "" : status.mode().wireName());
        table.row("address", status.address());
        table.row("implementation", Json.cell(status.implementation()));
        table.row("auth_required", status.authRequired());
        table.row("curve", status.curve());
        table.row("heartbeat_timeout", seconds(status.heartbeatTimeout()));
        table.row("uptime", seconds(status.uptime()));
        table.row("active_services", status.dealerCount(DealerState.ACTIVE));
        table.row("total_services", status.dealers().size());
        table.row("total_requests", count(status.totalRequests()));
        table.row("total_responses", count(status.totalResponses()));
        table.row("requests_in_queue", status.requestsInQueue());
        table.row("requests_in_process", status.requestsInProcess());
        table.print(out);
    }

    private void queueStatus(ClientDealer client) {
        Map<String, RouterStatus.Queue> queues = client.getQueueStatus();
        if (json) {
            out.println(Json.write(Map.of("queue_status", queues)));
            return;
        }
        separate();
        out.println("Queues (" + queues.size() + ")");
        TextTable table = new TextTable("METHOD", "QUEUED", "AVAILABLE", "BUSY");
        queues.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(q -> table.row(q.getKey(),
                q.getValue().queueLength(), q.getValue().availableServices(), q.getValue().busyServices()));
        table.print(out);
    }

    private static String seconds(@Nullable Duration duration) {
        return duration == null ? "" : RouterCommand.plain(duration.toMillis() / 1000.0);
    }

    private static String count(long count) {
        return count == RouterStatus.UNKNOWN_COUNT ? "" : String.valueOf(count);
    }

    /** Human output: a blank line between sections. */
    private void separate() {
        if (sectionsPrinted++ > 0) {
            out.println();
        }
    }

    /**
     * Checks that some dealer offers the method first: the router would otherwise keep the call queued
     * until its queue wait runs out, and the user would wait for nothing.
     */
    private void call(ClientDealer client, String method, CallArguments arguments) {
        MethodInfo info = client.discoverServices().get(method);
        if (info == null && !offeredByOverloadedDealer(client, method)) {
            throw new VoidRailException("Method " + method + " not found: no active dealer offers it (see --list)",
                    ErrorCode.NOT_FOUND);
        }
        if (!json) {
            separate();
        }
        CallSpec spec = arguments.applyTo(client.call(method).timeout(RouterCommand.seconds(timeout)));
        if (info != null && !info.stream()) {
            JsonNode result = spec.invoke(JsonNode.class);
            print("result", result == null ? NullNode.getInstance() : result);
            return;
        }
        // a stream prints each item as it arrives; a plain answer to a stream() call comes as one item
        try (Stream<JsonNode> items = spec.stream(JsonNode.class)) {
            items.forEach(item -> print("item", item == null ? NullNode.getInstance() : item));
        }
    }

    private static boolean offeredByOverloadedDealer(ClientDealer client, String method) {
        return client.discoverClusters().values().stream()
                .anyMatch(dealer -> dealer.state() == DealerState.OVERLOAD && dealer.methods().contains(method));
    }

    private void print(String kind, JsonNode value) {
        out.println(json ? Json.write(Map.of(kind, value)) : Json.human(value));
        out.flush();
    }

    private String explain(VoidRailException ex, ClientDealer client) {
        String text = ex.getMessage();
        return switch (ex.code()) {
            case UNAUTHENTICATED -> "The router at " + client.routerAddress() + " refused this client: " + text
                    + (apiKey == null && AuthEnvironment.system().apiKey() == null
                            ? " (it requires a client key: --api-key or VOIDRAIL_API_KEY)" : " (check the client key)");
            case NOT_FOUND -> text;
            case DEADLINE_EXCEEDED -> doing + ": no answer within " + RouterCommand.plain(timeout) + " s (" + text + ")";
            default -> doing + " failed (" + ex.code() + "): " + text;
        };
    }
}

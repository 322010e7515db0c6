package io.voidrail.cli;

import java.io.File;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.DealerStateListener;
import io.voidrail.dealer.ServiceDealer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code voidrail dealer}: serves the {@code @ServiceMethod} methods of Java classes. With one instance it
 * serves in this process; with {@code --instances N} it starts N child JVMs per class (each its own
 * dealer, running this command with {@code --supervised}) and supervises them.
 */
@Command(name = "dealer", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Serves the @ServiceMethod methods of Java classes to a router.",
                "--instances N starts N separate JVM processes per class, prefixes their output with [Class#i], "
                        + "stops them all on Ctrl-C and never restarts one: if one exits, the others keep serving "
                        + "and the command exits 1 once all have stopped." })
final class DealerCommand implements Callable<Integer> {

    /** After this long without registration the dealer says it is still waiting for the router. */
    private static final Duration WAITING_NOTICE = Duration.ofSeconds(5);

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--class", paramLabel = "FQCN",
            description = "A service class (public, with a public no-argument constructor); repeat for several.")
    List<String> classNames = new ArrayList<>();

    @Option(names = { "--classpath", "-cp" }, paramLabel = "JARS_OR_DIRS",
            description = "Jars and class directories holding the service classes, separated by the path separator "
                    + "(':' here, ';' on Windows) or repeated.")
    List<String> classpathOption = new ArrayList<>();

    @Option(names = "--package", paramLabel = "PACKAGE",
            description = "Without --class: look for the one @VoidRailService class in this package.")
    @Nullable String packageName;

    @Option(names = { "-n", "--instances" }, defaultValue = "1", paramLabel = "N",
            description = "Dealer processes per class (default: ${DEFAULT-VALUE}: serve in this process).")
    int instances = 1;

    @Option(names = "--max-concurrent", defaultValue = "100", paramLabel = "N",
            description = "Calls a dealer accepts at once in load_balance mode (default: ${DEFAULT-VALUE}).")
    int maxConcurrent = 100;

    @Option(names = "--slots", defaultValue = "1", paramLabel = "N",
            description = "Calls a dealer runs at once in fifo mode (default: ${DEFAULT-VALUE}, as the original).")
    int slots = 1;

    @Option(names = "--inline-quick-calls", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Whether a quick call may run on the dealer's I/O thread (default: ${DEFAULT-VALUE}; "
                    + "false: every call on a worker thread).")
    boolean inlineQuickCalls = true;

    @Option(names = "--heartbeat", defaultValue = "1", paramLabel = "SECONDS",
            description = "Seconds between heartbeats to the router (default: ${DEFAULT-VALUE}).")
    double heartbeat = 1;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "The dealer key, when the router requires one (default: VOIDRAIL_API_KEY).")
    @Nullable String apiKey;

    /** Set on the children of {@code --instances}: stop when the parent goes away (its pipe to our stdin closes). */
    @Option(names = "--supervised", hidden = true)
    boolean supervised;

    @Mixin
    CurveOptions.Peer curve = new CurveOptions.Peer();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @ParentCommand
    VoidRailCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        connection.validate(spec, false);
        atLeastOne(instances, "--instances");
        atLeastOne(maxConcurrent, "--max-concurrent");
        atLeastOne(slots, "--slots");
        if (!(heartbeat > 0)) {
            throw new ParameterException(spec.commandLine(), "--heartbeat must be positive, was " + heartbeat);
        }
        // the command prints each event of its dealers (serving, registered, lost, stopped) on stdout; the log
        // would say the same again, so by default it says only what goes wrong
        LoggingOptions.Level level = logging.apply(LoggingOptions.Level.WARNING, parent.debug);
        curve.config(); // a bad key file fails here, before any process starts
        List<Path> classpath = classpathOption.stream().flatMap(entry -> Arrays.stream(entry.split(File.pathSeparator)))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
        List<Class<?>> classes = ServiceClasses.over(classpath).resolve(classNames, packageName);
        // checked before any process starts; the objects themselves are made only where they serve
        classes.forEach(ServiceClasses::checkServable);
        if (instances == 1 || supervised) {
            return serve(classes);
        }
        List<DealerProcesses.Child> children = new ArrayList<>();
        for (Class<?> type : classes) {
            for (int i = 1; i <= instances; i++) {
                children.add(new DealerProcesses.Child(type.getSimpleName() + "#" + i, childCommand(type, classpath, level)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting " + children.size() + " dealer process(es) for " + connection.describe() + ": "
                + instances + " per class of " + classes.stream().map(Class::getName).toList());
        return new DealerProcesses(children, childEnvironment(), out, spec.commandLine().getErr()).run();
    }

    private ServiceDealer dealerFor(Class<?> type, DealerStateListener events) {
        Object service = ServiceClasses.instantiate(type);
        try {
            return ServiceDealer.builder().fromEnvironment().routerAddresses(connection.addresses()).service(service).slots(slots)
                    .inlineQuickCalls(inlineQuickCalls).maxConcurrent(maxConcurrent).heartbeatInterval(RouterCommand.seconds(heartbeat)).apiKey(apiKey)
                    .curve(curve.config()).stateListener(events).build();
        }
        catch (RuntimeException ex) {
            throw CliException.usage(type.getName() + " cannot be served: " + ex.getMessage());
        }
    }

    /**
     * Serves in this process until SIGINT/SIGTERM (or, supervised, until the parent is gone, or the router refuses
     * the key). Each state change of a dealer is printed once, as it happens.
     */
    private int serve(List<Class<?>> classes) {
        PrintWriter out = spec.commandLine().getOut();
        StopSignal stop = StopSignal.install(Duration.ofSeconds(20));
        if (supervised) {
            stop.requestOnEndOf(System.in, "the parent voidrail dealer is gone");
        }
        Set<ServiceDealer> registeredOnce = ConcurrentHashMap.newKeySet();
        AtomicReference<ServiceDealer> refused = new AtomicReference<>();
        // on the dealers' I/O threads: a line and a flush, nothing slow
        DealerStateListener events = (dealer, previous, current) -> {
            if (current == RegistrationState.REGISTERED) {
                // after a router restart the dealer registers again by itself; say so each time
                String how = registeredOnce.add(dealer) ? " registered with " : " registered again with ";
                out.println(dealer.identity() + how + dealer.routerAddress());
            }
            else if (previous == RegistrationState.REGISTERED && current == RegistrationState.REGISTERING) {
                out.println(dealer.identity() + " lost the router at " + dealer.routerAddress() + "; registering again");
            }
            else if (current == RegistrationState.REFUSED && refused.compareAndSet(null, dealer)) {
                stop.request("refused");
            }
            out.flush();
        };
        List<ServiceDealer> dealers = new ArrayList<>();
        try {
            for (Class<?> type : classes) {
                ServiceDealer dealer = dealerFor(type, events);
                dealers.add(dealer);
                out.println("Serving " + dealer.group() + " as " + dealer.identity() + " (" + dealer.methodNames().size()
                        + " methods, pid " + ProcessHandle.current().pid() + ") via " + dealer.routerAddress());
                out.flush();
                dealer.start();
            }
            if (!stop.await(WAITING_NOTICE) && registeredOnce.size() < dealers.size()) {
                out.println("Still waiting for the router at " + connection.describe() + " (dealers keep trying)");
                out.flush();
            }
            stop.await(Duration.ofMillis(Long.MAX_VALUE));
            if (refused.get() == null) {
                out.println("Stopping (" + stop.reason() + ")");
                out.flush();
            }
        }
        finally {
            dealers.forEach(ServiceDealer::close);
            out.println("Stopped");
            out.flush();
            stop.finished();
        }
        ServiceDealer refusedDealer = refused.get();
        if (refusedDealer != null) {
            throw CliException.failed("The router at " + refusedDealer.routerAddress() + " refused the API key of dealer "
                    + refusedDealer.identity() + (apiKey == null && AuthEnvironment.system().apiKey() == null
                            ? " (it requires a dealer key: --api-key or VOIDRAIL_API_KEY)" : " (check the dealer key)"));
        }
        return 0;
    }

    /** The same java, the same JVM options and classpath, this command in supervised single-instance mode. */
    private List<String> childCommand(Class<?> type, List<Path> classpath, LoggingOptions.Level level) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(forwardedJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VoidRailCommand.class.getName(), "dealer",
                "--supervised", "--class", type.getName(), "--max-concurrent", String.valueOf(maxConcurrent), "--slots", String.valueOf(slots),
                "--inline-quick-calls", String.valueOf(inlineQuickCalls), "--heartbeat", RouterCommand.plain(heartbeat), "--logger-level", level.name()));
        command.addAll(connection.routers != null ? List.of("--router", connection.routers)
                : List.of("--host", connection.host, "--port", String.valueOf(connection.port)));
        if (!classpath.isEmpty()) {
            command.addAll(List.of("--classpath", String.join(File.pathSeparator,
                    classpath.stream().map(p -> p.toAbsolutePath().toString()).toList())));
        }
        command.addAll(curve.forwarded());
        if (parent.debug) {
            command.add("--debug");
        }
        return command;
    }

    /**
     * Memory, GC and -D settings carry over; debugger and agent options (a JDWP port, a profiler's agent and its output
     * file) would clash between processes.
     */
    static List<String> forwardedJvmOptions(List<String> own) {
        return own.stream()
                .filter(option -> !option.startsWith("-agentlib") && !option.startsWith("-agentpath")
                        && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp") && !option.equals("-Xdebug"))
                .toList();
    }

    /** The key goes to the children through the environment, so it does not show in their command lines. */
    private Map<String, String> childEnvironment() {
        return apiKey == null ? Map.of() : Map.of(AuthEnvironment.API_KEY, apiKey);
    }

    private void atLeastOne(int value, String option) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, was " + value);
        }
    }
}

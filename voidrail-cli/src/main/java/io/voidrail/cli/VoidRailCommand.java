package io.voidrail.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.voidrail.VoidRailException;
import io.voidrail.VoidRailVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code voidrail}: the entry point of the runnable jar. Exit codes: 0 ok, 1 a call or connection failed,
 * 2 bad usage. Errors are one line on stderr; {@code --debug} adds the stack trace.
 */
@Command(name = "voidrail", mixinStandardHelpOptions = true, versionProvider = VoidRailCommand.Version.class,
        subcommands = { RouterCommand.class, ClientCommand.class, DealerCommand.class, KeysCommand.class },
        description = "Runs VoidRail without writing code: a router, dealers serving Java classes, a client to look and poke.",
        footer = { "", "Environment: VOIDRAIL_REQUIRE_AUTH, VOIDRAIL_DEALER_API_KEYS, VOIDRAIL_CLIENT_API_KEYS (router), "
                + "VOIDRAIL_API_KEY (client, dealer); JAVA_OPTS (bin/voidrail)." })
public final class VoidRailCommand implements Callable<Integer> {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show stack traces with errors; log at DEBUG unless --logger-level says otherwise.")
    boolean debug;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process. */
    static CommandLine commandLine() {
        return new CommandLine(new VoidRailCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                // --args @file.json is read whole by the client command, not split into words by picocli
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new Failures());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: router, client or dealer");
    }

    /** A usage error is one line and exit code 2; the usage text stays behind {@code --help}. */
    private static final class UsageErrors implements IParameterExceptionHandler {

        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine command = ex.getCommandLine();
            command.getErr().println("error: " + ex.getMessage() + " (see '"
                    + command.getCommandSpec().qualifiedName() + " --help')");
            if (debugRequested(command.getParseResult())) {
                ex.printStackTrace(command.getErr());
            }
            return CommandLine.ExitCode.USAGE;
        }
    }

    /** Anything the commands throw: one line, the command's exit code (1 unless it says otherwise). */
    private static final class Failures implements IExecutionExceptionHandler {

        @Override
        public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
            PrintWriter err = command.getErr();
            int code;
            if (ex instanceof CliException failure) {
                err.println("error: " + failure.getMessage());
                code = failure.exitCode();
            }
            else if (ex instanceof VoidRailException failure) {
                err.println("error: " + failure.getMessage());
                code = CliException.FAILED;
            }
            else {
                err.println("error: " + ex + (debugRequested(parseResult) ? "" : " (--debug shows where)"));
                code = CliException.FAILED;
            }
            if (debugRequested(parseResult)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        }
    }

    static boolean debugRequested(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** The build's version, the one routers and dealers announce as {@code voidrail-java/<version>}. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] { "voidrail " + VoidRailVersion.VERSION + " (" + VoidRailVersion.IMPLEMENTATION + ")",
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")" };
        }
    }
}

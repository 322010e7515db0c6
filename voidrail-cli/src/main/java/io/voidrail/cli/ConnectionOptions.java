package io.voidrail.cli;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.Addresses;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --host} and {@code --port}: where the router binds, or where dealers and clients find it; or, for dealers
 * and clients, {@code --router} with one or more addresses.
 */
final class ConnectionOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Router host: the address the router binds, or where dealers and clients reach it "
                    + "(default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = { "-p", "--port" }, defaultValue = "5555", paramLabel = "PORT",
            description = "Router TCP port (default: ${DEFAULT-VALUE}).")
    int port = 5555;

    @Option(names = "--router", paramLabel = "ADDRESSES",
            description = "Instead of --host and --port: router addresses, comma-separated (tcp://a:5555,tcp://b:5555). "
                    + "A dealer registers with every one; a client uses the first that answers and fails over to the next.")
    @Nullable String routers;

    /** The routers to use: those of {@code --router}, else the one of {@code --host} and {@code --port}. */
    List<String> addresses() {
        return routers != null ? Addresses.list(routers) : List.of(address());
    }

    /** The routers, for messages. */
    String describe() {
        return String.join(", ", addresses());
    }

    /** {@code tcp://host:port}, with an IPv6 host in brackets. */
    String address() {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return "tcp://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Rejects ports outside 1..65535; a router may take 0 (any free port). */
    void validate(CommandSpec spec, boolean allowAnyPort) {
        if (routers != null) {
            if (allowAnyPort) {
                throw new ParameterException(spec.commandLine(), "--router is for dealers and clients; a router binds "
                        + "--host and --port");
            }
            try {
                Addresses.list(routers);
            }
            catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), "--router: " + ex.getMessage());
            }
        }
        int lowest = allowAnyPort ? 0 : 1;
        if (port < lowest || port > 65535) {
            throw new ParameterException(spec.commandLine(),
                    "--port must be between " + lowest + " and 65535, was " + port);
        }
        if (host.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--host must not be empty");
        }
    }
}

package io.voidrail.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --host} and {@code --port}: where the router binds, or where dealers and clients find it. */
final class ConnectionOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Router host: the address the router binds, or where dealers and clients reach it "
                    + "(default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = { "-p", "--port" }, defaultValue = "5555", paramLabel = "PORT",
            description = "Router TCP port (default: ${DEFAULT-VALUE}).")
    int port = 5555;

    /** {@code tcp://host:port}, with an IPv6 host in brackets. */
    String address() {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return "tcp://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Rejects ports outside 1..65535; a router may take 0 (any free port). */
    void validate(CommandSpec spec, boolean allowAnyPort) {
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

package io.voidrail.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.voidrail.auth.CurveKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voidrail keys}: CURVE key pairs as ZeroMQ certificate files, for Java and Python peers alike. */
@Command(name = "keys", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Writes CURVE key pairs as ZeroMQ certificates: NAME.key (public, to share) and NAME.key_secret "
                + "(keep private; readable by its owner only).",
                "pyzmq reads them with zmq.auth.load_certificate. Existing files are never overwritten." })
final class KeysCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into (made if missing).")
    Path out;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Certificate name, e.g. router or worker; repeat for several pairs.")
    List<String> names = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter printer = spec.commandLine().getOut();
        for (String name : names) {
            CurveKeys.Pair pair = CurveKeys.generate();
            List<Path> files;
            try {
                files = CurveKeys.save(pair, out, name);
            }
            catch (IllegalArgumentException | UncheckedIOException ex) {
                throw CliException.usage(ex.getMessage());
            }
            printer.println("Wrote " + files.get(0) + " and " + files.get(1) + " (public key " + pair.publicKey() + ")");
        }
        printer.println();
        printer.println("The router runs with --curve-keys ROUTER.key_secret --curve-allow DIR, DIR holding the NAME.key of "
                + "each peer it admits;");
        printer.println("dealers and clients with --curve-server-key ROUTER.key --curve-keys NAME.key_secret.");
        printer.flush();
        return 0;
    }
}

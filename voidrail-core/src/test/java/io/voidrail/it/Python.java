package io.voidrail.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A Python 3 that can {@code import zmq} (Debian's /usr/bin/python3 here; the python3 on PATH may lack pyzmq),
 * running short inline scripts with a bounded time.
 */
public final class Python {

    private static final @Nullable String EXECUTABLE = find();

    private Python() {
    }

    /** Whether a pyzmq with CURVE is available (tests assume it and skip without). */
    public static boolean hasCurve() {
        return EXECUTABLE != null;
    }

    /** The outcome of a script. */
    public record Result(int exitCode, String out, String err) {
    }

    /** Runs the script with the arguments; kills it after {@code timeoutSeconds}. */
    public static Result run(String script, long timeoutSeconds, String... args) {
        if (EXECUTABLE == null) {
            throw new IllegalStateException("No python3 with pyzmq and CURVE");
        }
        try {
            Path file = Files.createTempFile("voidrail-", ".py");
            Files.writeString(file, script);
            List<String> command = new ArrayList<>(List.of(EXECUTABLE, file.toString()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("voidrail-", ".out");
            Path err = Files.createTempFile("voidrail-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Result result = new Result(finished ? process.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(file);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run python: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running python", ex);
        }
    }

    private static @Nullable String find() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", "import zmq; assert zmq.has('curve')")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
                process.destroyForcibly();
            }
            catch (IOException ex) {
                // not installed here
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}

package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.cli.Launcher.Launched;
import io.voidrail.cli.example.EchoService;

/** The README's CURVE set-up through bin/voidrail: keys, a CURVE router, dealer processes and clients. */
class CurveIT {

    private final Launcher launcher = new Launcher();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() {
        launcher.close();
    }

    @Test
    void aCurveRouterServesPeersWithListedKeysAndNoPlaintextClient() throws Exception {
        Path keys = dir.resolve("keys");
        Path allowed = dir.resolve("allowed");
        Launched generated = launcher.run("keys", "--out", keys.toString(), "--name", "router", "--name", "worker",
                "--name", "caller");
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        Files.createDirectories(allowed);
        for (String peer : new String[] { "worker", "caller" }) {
            Files.copy(keys.resolve(peer + ".key"), allowed.resolve(peer + ".key"));
        }
        String port = String.valueOf(Launcher.freePort());
        String routerKey = keys.resolve("router.key").toString();

        launcher.start("router", "--port", port, "--curve-keys", keys.resolve("router.key_secret").toString(),
                "--curve-allow", allowed.toString()).awaitLine("  encryption: CURVE, public key .{40}, peers admitted from .*");
        // the children of --instances get the CURVE options too
        launcher.start(Map.of(), "dealer", "--port", port, "--class", EchoService.class.getName(), "--instances", "2",
                "--curve-server-key", routerKey, "--curve-keys", keys.resolve("worker.key_secret").toString())
                .awaitLine("\\[EchoService#1\\] EchoService-[0-9a-f]{8} registered with .*")
                .awaitLine("\\[EchoService#2\\] EchoService-[0-9a-f]{8} registered with .*");

        Launched sealed = launcher.run("client", "--port", port, "--curve-server-key", routerKey, "--curve-keys",
                keys.resolve("caller.key_secret").toString(), "--call", "EchoService.echo", "--args", "encrypted");
        Launched plain = launcher.run("client", "--port", port, "--list", "--timeout", "2");

        assertThat(sealed.exitCode()).as(sealed.toString()).isZero();
        assertThat(sealed.out()).isEqualTo("encrypted\n");
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(1);
        // the command's own error only: no warning of the client's logged before it
        assertThat(plain.err())
                .isEqualTo("error: No VoidRail router answers at tcp://127.0.0.1:" + port + " (waited 2 s)\n");
    }

    @Test
    void roleListsLetTheWorkerKeyServeAndTheCallerKeyCallButNotTheOtherWayRound() throws Exception {
        Path keys = dir.resolve("keys");
        Launched generated = launcher.run("keys", "--out", keys.toString(), "--name", "router", "--name", "worker",
                "--name", "caller");
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        Path dealers = Files.createDirectories(dir.resolve("dealers"));
        Path clients = Files.createDirectories(dir.resolve("clients"));
        Files.copy(keys.resolve("worker.key"), dealers.resolve("worker.key"));
        Files.copy(keys.resolve("caller.key"), clients.resolve("caller.key"));
        String port = String.valueOf(Launcher.freePort());
        String routerKey = keys.resolve("router.key").toString();

        launcher.start("router", "--port", port, "--curve-keys", keys.resolve("router.key_secret").toString(),
                "--curve-allow-dealers", dealers.toString(), "--curve-allow-clients", clients.toString())
                .awaitLine("  encryption: CURVE, public key .{40}, peers admitted from .*dealers \\(dealers only\\), "
                        + ".*clients \\(clients only\\)");
        launcher.start(Map.of(), "dealer", "--port", port, "--class", EchoService.class.getName(),
                "--curve-server-key", routerKey, "--curve-keys", keys.resolve("worker.key_secret").toString())
                .awaitLine("EchoService-[0-9a-f]{8} registered with .*");

        Launched caller = launcher.run("client", "--port", port, "--curve-server-key", routerKey, "--curve-keys",
                keys.resolve("caller.key_secret").toString(), "--call", "EchoService.echo", "--args", "encrypted");
        Launched worker = launcher.run("client", "--port", port, "--curve-server-key", routerKey, "--curve-keys",
                keys.resolve("worker.key_secret").toString(), "--call", "EchoService.echo", "--args", "x");

        assertThat(caller.exitCode()).as(caller.toString()).isZero();
        assertThat(caller.out()).isEqualTo("encrypted\n");
        assertThat(worker.exitCode()).as(worker.toString()).isEqualTo(1);
        assertThat(worker.err()).contains("dealer keys cannot call");
    }
}

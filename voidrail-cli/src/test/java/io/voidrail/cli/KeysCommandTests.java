package io.voidrail.cli;

import static io.voidrail.cli.InProcess.voidrail;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.auth.CurveKeys;
import io.voidrail.cli.InProcess.Result;

/** {@code voidrail keys} and the CURVE options' usage errors. */
class KeysCommandTests {

    @TempDir
    Path dir;

    @Test
    void keysWritesCertificatesThatLoadBackAndNeverOverwrites() throws Exception {
        Result result = voidrail("keys", "--out", dir.resolve("certs").toString(), "--name", "router", "--name", "worker");

        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String name : new String[] { "router", "worker" }) {
            CurveKeys.Pair pair = CurveKeys.loadPair(dir.resolve("certs/" + name + ".key_secret"));
            assertThat(CurveKeys.loadPublicKey(dir.resolve("certs/" + name + ".key"))).isEqualTo(pair.publicKey());
            assertThat(result.out()).contains(name + ".key_secret (public key " + pair.publicKey() + ")")
                    .doesNotContain(pair.secretKey());
        }
        String before = Files.readString(dir.resolve("certs/router.key_secret"));
        Result again = voidrail("keys", "--out", dir.resolve("certs").toString(), "--name", "router");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).startsWith("error: Cannot write the CURVE certificate router").contains("router.key");
        assertThat(Files.readString(dir.resolve("certs/router.key_secret"))).isEqualTo(before);
    }

    @Test
    void curveOptionsThatCannotWorkAreUsageErrors() {
        voidrail("keys", "--out", dir.toString(), "--name", "router");
        String secret = dir.resolve("router.key_secret").toString();
        String[][] cases = {
                { "error: --curve-keys needs --curve-allow DIR", "router", "--port", "0", "--curve-keys", secret },
                { "error: --curve-allow needs --curve-keys", "router", "--port", "0", "--curve-allow", dir.toString() },
                { "error: --curve-allow-clients needs --curve-keys", "router", "--port", "0", "--curve-allow-clients",
                        dir.toString() },
                { "error: --curve-allow-dealers: no directory", "router", "--port", "0", "--curve-keys", secret,
                        "--curve-allow-dealers", dir.resolve("missing").toString(), "--curve-allow-clients", dir.toString() },
                { "error: --curve-allow: no directory", "router", "--port", "0", "--curve-keys", secret, "--curve-allow",
                        dir.resolve("missing").toString() },
                { "error: --curve-keys: The CURVE certificate", "router", "--port", "0", "--curve-keys",
                        dir.resolve("router.key").toString(), "--curve-allow", dir.toString() },
                { "error: --curve-server-key and --curve-keys go together", "client", "--list", "--curve-keys", secret },
                { "error: --curve-server-key is neither a Z85 key nor a readable certificate", "client", "--list",
                        "--curve-server-key", "nonsense", "--curve-keys", secret },
                { "error: --curve-server-key and --curve-keys go together", "dealer", "--class",
                        "io.voidrail.cli.example.EchoService", "--curve-server-key", dir.resolve("router.key").toString() } };
        for (String[] bad : cases) {
            String[] args = java.util.Arrays.copyOfRange(bad, 1, bad.length);
            Result result = voidrail(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", args)).startsWith(bad[0]);
        }
    }
}

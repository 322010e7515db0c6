package io.voidrail.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.it.Python;

/** CURVE key pairs and certificate files, in the format pyzmq and czmq read and write. */
class CurveKeysTests {

    @TempDir
    Path dir;

    @Test
    void savedCertificatesLoadBackAndKeepTheSecretPrivate() throws Exception {
        CurveKeys.Pair pair = CurveKeys.generate();
        List<Path> files = CurveKeys.save(pair, dir.resolve("keys"), "worker");

        assertThat(files).containsExactly(dir.resolve("keys/worker.key"), dir.resolve("keys/worker.key_secret"));
        assertThat(CurveKeys.loadPair(files.get(1))).isEqualTo(pair);
        assertThat(CurveKeys.loadPublicKey(files.get(0))).isEqualTo(pair.publicKey());
        assertThat(CurveKeys.loadPublicKey(files.get(1))).isEqualTo(pair.publicKey());
        assertThat(Files.readString(files.get(0))).doesNotContain(pair.secretKey()).contains("public-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(1)))).isEqualTo("rw-------");
        // a public certificate is no key pair, and nothing is overwritten
        assertThatThrownBy(() -> CurveKeys.loadPair(files.get(0))).hasMessageContaining("holds no secret-key");
        assertThatThrownBy(() -> CurveKeys.save(CurveKeys.generate(), dir.resolve("keys"), "worker"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("worker.key");
        assertThat(CurveKeys.loadPair(files.get(1))).isEqualTo(pair);
    }

    @Test
    void pyzmqReadsOurCertificatesAndWeReadItsOwn() {
        assumeTrue(Python.hasCurve(), "needs a python3 with pyzmq");
        CurveKeys.Pair ours = CurveKeys.generate();
        CurveKeys.save(ours, dir, "java");
        Python.Result result = Python.run("""
                import sys, zmq.auth
                public, secret = zmq.auth.load_certificate(sys.argv[1] + '/java.key_secret')
                print(public.decode(), secret.decode())
                print(list(k.decode() for k in zmq.auth.load_certificates(sys.argv[1])))
                zmq.auth.create_certificates(sys.argv[1], 'python')
                """, 30, dir.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(ours.publicKey() + " " + ours.secretKey(),
                "['" + ours.publicKey() + "']");
        CurveKeys.Pair theirs = CurveKeys.loadPair(dir.resolve("python.key_secret"));
        assertThat(CurveKeys.loadPublicKey(dir.resolve("python.key"))).isEqualTo(theirs.publicKey());
    }

    @Test
    void keysAreCheckedAndTheSecretNeverPrinted() {
        CurveKeys.Pair pair = CurveKeys.generate();
        assertThat(CurveKeys.isKey(pair.publicKey())).isTrue();
        assertThat(CurveKeys.isKey(pair.publicKey().substring(1))).isFalse();
        assertThat(CurveKeys.isKey(pair.publicKey().substring(1) + "~")).isFalse(); // not in the Z85 alphabet
        assertThat(CurveKeys.isKey("#".repeat(40))).isFalse(); // each block of 5 above 2^32
        assertThat(CurveKeys.publicKeyOf(pair.secretKey())).isEqualTo(pair.publicKey());
        assertThat(CurveKeys.Pair.ofSecretKey(pair.secretKey())).isEqualTo(pair);
        assertThatThrownBy(() -> new CurveKeys.Pair(CurveKeys.generate().publicKey(), pair.secretKey()))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> new CurveKeys.Pair(pair.publicKey(), "short")).hasMessageContaining("40 characters")
                .hasMessageNotContaining("short");
        assertThat(pair.toString()).contains(pair.publicKey()).doesNotContain(pair.secretKey());
        assertThat(pair.fingerprint()).matches("curve#[0-9a-f]{8}").isEqualTo(CurveKeys.fingerprint(pair.publicKey()));
        assertThat(CurveKeys.fingerprint("not a key")).matches("curve#[0-9a-f]{8}");
    }

    @Test
    void certificatesWithoutAValidPublicKeyAreRefusedClearly() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.key"), "curve\n    public-key = \"tooshort\"\n");
        assertThatThrownBy(() -> CurveKeys.loadPublicKey(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.key").hasMessageContaining("public-key");
        assertThatThrownBy(() -> CurveKeys.loadPublicKey(dir.resolve("missing.key")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.key");
        assertThatThrownBy(() -> CurveKeys.save(CurveKeys.generate(), dir, "../escape"))
                .hasMessageContaining("plain file name");
    }
}

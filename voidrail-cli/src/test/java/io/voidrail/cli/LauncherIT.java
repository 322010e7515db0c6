package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.cli.Launcher.Launched;

/** bin/voidrail itself: finding the jar (through a symlink too), and what it says when it cannot. */
class LauncherIT {

    private final Launcher launcher = new Launcher();

    @AfterEach
    void killLeftovers() {
        launcher.close();
    }

    @Test
    void findsTheJarThroughASymlink(@TempDir Path dir) throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("voidrail"), Launcher.SCRIPT);

        try {
            Launched version = launcher.start(List.of(link.toString(), "--version"), Map.of());

            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.out()).matches("(?s)voidrail ([0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?) \\(voidrail-java/\\1\\)\nJava [0-9]+.*");
        }
        finally {
            // removed here: JUnit warns about links that point out of its temporary directory
            Files.delete(link);
        }
    }

    @Test
    void withoutTheJarItSaysHowToBuildIt(@TempDir Path dir) throws IOException {
        Path script = Files.createDirectories(dir.resolve("bin")).resolve("voidrail");
        Files.copy(Launcher.SCRIPT, script, StandardCopyOption.COPY_ATTRIBUTES);

        Launched missing = launcher.start(List.of(script.toString(), "router"), Map.of());

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().lines()).singleElement().asString()
                .startsWith("voidrail: " + dir.toRealPath().resolve("voidrail-cli/target/voidrail-cli.jar") + " is missing")
                .contains("./mvnw -B -DskipTests package", "mvn -B -DskipTests package");
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Launched router = launcher.run("router", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(router.exitCode()).isEqualTo(1);
            assertThat(router.out()).isEmpty();
            assertThat(router.err().lines()).singleElement().asString()
                    .startsWith("error: Cannot bind the VoidRail router to tcp://127.0.0.1:" + taken.getLocalPort());
        }
    }
}

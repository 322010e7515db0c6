package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.cli.Launcher.Launched;

/** bin/voidrail itself: finding the jar (through a symlink too), what it says when it cannot, its JVM options. */
class LauncherIT {

    private static final Pattern COLLECTOR = Pattern.compile("(?m)^\\[[^]]*\\]\\[info\\]\\[gc\\] Using (.+)$");

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

    /** On two CPUs or fewer the launcher runs the Serial collector, unless the JVM options name a collector. */
    @Test
    void onASmallMachineTheSerialCollectorUnlessTheOptionsNameOne() throws Exception {
        String chosen = collector(Map.of("JAVA_OPTS", "-Xlog:gc"));

        assertThat(chosen).isEqualTo(cpus() <= 2 ? "Serial"
                : collectorOf(new ProcessBuilder("sh", "-c", "${JAVA_HOME:+$JAVA_HOME/bin/}java -Xlog:gc -version")));
        assertThat(collector(Map.of("JAVA_OPTS", "-Xlog:gc -XX:+UseParallelGC"))).isEqualTo("Parallel");
        assertThat(collector(Map.of("JAVA_OPTS", "-Xlog:gc", "JAVA_TOOL_OPTIONS", "-XX:+UseParallelGC")))
                .as("named where the launcher does not pass it: adding another would make the JVM refuse to start")
                .isEqualTo("Parallel");
        assertThat(collector(Map.of("JAVA_OPTS", "-Xlog:gc -XX:+UseGCOverheadLimit")))
                .as("an option that is not a collector").isEqualTo(chosen);
    }

    /**
     * A CFS quota (docker --cpus, a Kubernetes CPU limit) makes a small machine too: {@code nproc} does not count it,
     * so a host of many CPUs (an {@code nproc} first in the PATH says 8) gets the JVM's choice, and the same host with
     * the launcher in a cgroup limited to 2 CPUs gets Serial.
     */
    @Test
    void aQuotaOfTwoCpusIsASmallMachineHoweverManyTheHostHas(@TempDir Path dir) throws Exception {
        Path controller = Path.of("/sys/fs/cgroup/cpu");
        assumeTrue(Files.isWritable(controller) && Files.exists(controller.resolve("cpu.cfs_quota_us")),
                "needs the cgroup v1 cpu controller, writable (root)");
        String jvmDefault = collectorOf(new ProcessBuilder("sh", "-c",
                "${JAVA_HOME:+$JAVA_HOME/bin/}java -Xlog:gc -version"));
        assumeFalse(jvmDefault.equals("Serial"), "the JVM itself picks Serial on this machine");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path nproc = Files.writeString(bin.resolve("nproc"), "#!/bin/sh\necho 8\n");
        assertThat(nproc.toFile().setExecutable(true)).isTrue();
        Map<String, String> manyCpus = Map.of("PATH", bin + ":" + System.getenv("PATH"), "JAVA_OPTS", "-Xlog:gc");

        assertThat(collector(manyCpus)).as("8 CPUs, no quota").isEqualTo(jvmDefault);

        Path cgroup = Files.createDirectory(controller.resolve("voidrail-launcher-it-" + ProcessHandle.current().pid()));
        try {
            Files.writeString(cgroup.resolve("cpu.cfs_quota_us"), "200000"); // the period is 100000 µs
            Launched limited = launcher.start(List.of("sh", "-c",
                    "echo $$ > \"$1\"/cgroup.procs && exec \"$0\" --version", Launcher.SCRIPT.toString(),
                    cgroup.toString()), manyCpus);
            assertThat(collectorOf(limited)).as("8 CPUs, a quota of 2").isEqualTo("Serial");
        }
        finally {
            Files.delete(cgroup); // empty again: the JVM has exited
        }
    }

    private String collector(Map<String, String> environment) {
        return collectorOf(launcher.start(environment, "--version"));
    }

    private static String collectorOf(Launched version) {
        assertThat(version.exitCode()).as(version.toString()).isZero();
        Matcher using = COLLECTOR.matcher(version.out());
        assertThat(using.find()).as(version.out()).isTrue();
        return using.group(1);
    }

    private static String collectorOf(ProcessBuilder java) throws Exception {
        Process process = java.redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            Matcher using = COLLECTOR.matcher(text);
            assertThat(using.find()).as(text).isTrue();
            return using.group(1);
        }
        finally {
            process.waitFor();
        }
    }

    /** What the launcher counts: {@code nproc}. */
    private static int cpus() throws Exception {
        Process nproc = new ProcessBuilder("nproc").start();
        try (InputStream out = nproc.getInputStream()) {
            return Integer.parseInt(new String(out.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        finally {
            nproc.waitFor();
        }
    }
}

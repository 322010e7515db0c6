package io.voidrail.samples.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as {@code spring-boot:process-aot} left it (the build runs the goal before this test): a real JVM with
 * {@code -Dspring.aot.enabled=true} starts it from the generated initializer, with no bean definition scanning,
 * and it serves calls over the bus and HTTP.
 */
class SampleApplicationAotIT {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final List<String> output = new CopyOnWriteArrayList<>();

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (this.process != null) {
            this.process.destroy();
            if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        }
    }

    @Test
    void runsFromTheAotProcessedClasses() throws Exception {
        assertThat(Class.forName(SampleApplication.class.getName() + "__ApplicationContextInitializer"))
            .as("the initializer process-aot generated").isNotNull();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        this.process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", classpath,
                SampleApplication.class.getName(), "--server.port=0", "--voidrail.router.bind-address=tcp://127.0.0.1:0",
                "--spring.main.banner-mode=off")
            .redirectErrorStream(true)
            .start();
        Thread reader = new Thread(this::readOutput, "sample-output");
        reader.setDaemon(true);
        reader.start();

        await().atMost(Duration.ofSeconds(90)).until(() -> !this.process.isAlive() || port().isPresent()
                && this.output.stream().anyMatch((line) -> line.contains("EchoClient.echoAsync")));
        assertThat(this.process.isAlive()).as(String.join("\n", this.output)).isTrue();
        assertThat(this.output).anyMatch((line) -> line.contains("Starting AOT-processed SampleApplication"));
        assertThat(this.output).anyMatch((line) -> line.contains("EchoService.add(5, 3) -> 8"));

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> add = http.send(request("/add?a=2&b=40"), HttpResponse.BodyHandlers.ofString());
        assertThat(add.statusCode()).isEqualTo(200);
        assertThat(add.body()).isEqualTo("{\"sum\":42}");
        HttpResponse<String> fail = http.send(request("/fail"), HttpResponse.BodyHandlers.ofString());
        assertThat(fail.statusCode()).isEqualTo(500);
        assertThat(fail.body()).contains("\"code\":\"EXECUTION_ERROR\"");
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port().orElseThrow() + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    }

    private Optional<Integer> port() {
        for (String line : this.output) {
            Matcher matcher = PORT.matcher(line);
            if (matcher.find()) {
                return Optional.of(Integer.parseInt(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                this.output.add(line);
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

}

package io.voidrail.samples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import io.voidrail.VoidRailException;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailConnectionDetails;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.boot.web.VoidRailProblemDetailsMapper;
import io.voidrail.client.VoidRailClient;
import io.voidrail.ErrorCode;
import io.voidrail.samples.app.EchoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of the README is code of this repository: its lines (indentation aside) appear in this order in
 * one Java file of the samples or of the tests here, which compile and run. The snippets' own tests follow.
 */
class ReadmeSnippetsTests {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");

    @Test
    void everyJavaSnippetOfTheReadmeIsInTheCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<List<String>> sources = javaSources();
        Matcher blocks = JAVA_BLOCK.matcher(readme);
        int count = 0;
        while (blocks.find()) {
            List<String> snippet = lines(blocks.group(1));
            count++;
            assertThat(snippet).as("a snippet has no elided code").noneMatch((line) -> line.contains("..."));
            assertThat(sources).as("a Java file holding the README snippet%n%s", blocks.group(1))
                .anyMatch((source) -> containsInOrder(source, snippet));
        }
        assertThat(count).as("Java snippets in the README").isGreaterThanOrEqualTo(7);
    }

    @Test
    void frontApplicationImportsTheTypedClientAndLogsRegistrations() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FrontApplication.class)
            .web(WebApplicationType.NONE)
            .run("--voidrail.router.enabled=true", "--voidrail.router.bind-address=tcp://127.0.0.1:0")) {
            assertThat(context.getBean(EchoClient.class).echo("imported")).isEqualTo("imported");
            assertThat(context.getBean(RegistrationLog.class).groups).contains("EchoService");
        }
    }

    @Test
    void platformConnectionDetailsAndTheProblemDetailsMapperApply() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(VoidRailClientAutoConfiguration.class))
            .withUserConfiguration(PlatformConfiguration.class)
            .run((context) -> {
                assertThat(context.getBean(VoidRailConnectionDetails.class).getRouterAddress())
                    .isEqualTo("tcp://router.internal:5555");
                assertThat(context.getBean(VoidRailClient.class).routerAddress()).isEqualTo("tcp://router.internal:5555");
                VoidRailProblemDetailsMapper mapper = new PlatformConfiguration()
                    .problemDetails(new VoidRailProperties());
                assertThat(mapper.toErrorResponse(new VoidRailException("x", ErrorCode.NOT_FOUND)).getStatusCode())
                    .isEqualTo(HttpStatus.NOT_FOUND);
                assertThat(mapper.toErrorResponse(new VoidRailException("x", ErrorCode.QUEUE_FULL)).getStatusCode())
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            });
    }

    private static boolean containsInOrder(List<String> source, List<String> snippet) {
        int at = 0;
        for (String line : snippet) {
            int found = source.subList(at, source.size()).indexOf(line);
            if (found < 0) {
                return false;
            }
            at += found + 1;
        }
        return true;
    }

    /** Lines without indentation, blank ones left out. */
    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
    }

    private static List<List<String>> javaSources() throws IOException {
        List<List<String>> sources = new ArrayList<>();
        // the samples and every module's tests (the dashboard's Spring Security snippets run in the autoconfigure's)
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter((file) -> file.toString().endsWith(".java") && !file.toString().contains("/target/"))
                .forEach((file) -> {
                    try {
                        sources.add(lines(Files.readString(file)));
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
        }
        return sources;
    }

}

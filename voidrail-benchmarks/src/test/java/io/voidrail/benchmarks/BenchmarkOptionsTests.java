package io.voidrail.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BenchmarkOptionsTests {

    @Test
    void defaults() {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[0], new Properties());
        assertThat(options.calls()).isEqualTo(20_000);
        assertThat(options.window()).isEqualTo(64);
        assertThat(options.warmupCalls()).isEqualTo(20_000);
        assertThat(options.maxSeconds()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.rounds()).isEqualTo(1);
        assertThat(options.scenarios()).isEmpty();
        assertThat(options.output().getFileName().toString()).isEqualTo("benchmark-results.json");
    }

    @Test
    void quickIsAShortRunThatExplicitOptionsStillOverride() {
        BenchmarkOptions quick = BenchmarkOptions.parse(new String[] { "--quick" }, new Properties());
        assertThat(quick.calls()).isEqualTo(5_000);
        assertThat(quick.warmupCalls()).isEqualTo(3_000);
        assertThat(quick.maxSeconds()).isEqualTo(Duration.ofSeconds(10));
        BenchmarkOptions tuned = BenchmarkOptions.parse(new String[] { "--calls", "800", "--quick", "--window=4" },
                new Properties());
        assertThat(tuned.calls()).isEqualTo(800);
        assertThat(tuned.warmupCalls()).isEqualTo(800);
        assertThat(tuned.window()).isEqualTo(4);
    }

    @Test
    void argumentsWinOverSystemProperties() {
        Properties properties = new Properties();
        properties.setProperty("voidrail.bench.calls", "500");
        properties.setProperty("voidrail.bench.window", "8");
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--calls=1_000", "--max-seconds", "7",
                "--scenarios", "jeromq-raw, voidrail-lb", "--output", "x.json" }, properties);
        assertThat(options.calls()).isEqualTo(1_000);
        assertThat(options.window()).isEqualTo(8);
        assertThat(options.warmupCalls()).isEqualTo(1_000);
        assertThat(options.maxSeconds()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.scenarios()).containsExactly("jeromq-raw", "voidrail-lb");
        assertThat(options.output()).isEqualTo(Path.of("x.json"));
    }

    @Test
    void mistakesAreReported() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--calls", "0")).withMessageContaining("--calls");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--calls", "many"))
                .withMessageContaining("whole number");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--speed", "1")).withMessageContaining("--speed");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--window")).withMessageContaining("needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> Scenarios.select(List.of("nope")))
                .withMessageContaining("voidrail-fifo");
    }

    @Test
    void baselineRequestIdsCarryIndexAndSendTime() {
        Payloads payloads = new Payloads(10);
        byte[] request = payloads.requestTemplate.clone();
        Payloads.writeId(request, Payloads.REQUEST_ID_OFFSET, 12_345, 987_654_321_012L);
        assertThat(Payloads.index(request, Payloads.REQUEST_ID_OFFSET)).isEqualTo(12_345);
        assertThat(Payloads.sentOffset(request, Payloads.REQUEST_ID_OFFSET)).isEqualTo(987_654_321_012L);
        assertThat(Payloads.id(1, 2)).hasSize(Payloads.ID_LENGTH);
        assertThat(new String(payloads.requestTemplate, java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("{\"type\":\"request\",\"request_id\":\"").contains("\"args\":[\"" + payloads.text + "\"]");
    }

    private static BenchmarkOptions parse(String... args) {
        return BenchmarkOptions.parse(args, new Properties());
    }

    @Test
    void inlineAndDirectCallbacksAreSwitchesThatRefuseAnythingButTrueOrFalse() {
        assertThat(parse().inline()).isTrue();
        assertThat(parse().directCallbacks()).isFalse();
        assertThat(parse("--inline", "false").inline()).isFalse();
        assertThat(parse("--direct-callbacks", "true").directCallbacks()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--direct-callbacks", "yes"))
                .withMessageContaining("--direct-callbacks");
    }

    @Test
    void clientsSplitTheLoadOfProcessesOrARouterBetweenClientJvms() {
        assertThat(parse().clients()).as("default: this JVM's client").isZero();
        BenchmarkOptions processes = parse("--processes", "2", "--clients", "2");
        assertThat(processes.clients()).isEqualTo(2);
        assertThat(processes.processes()).isEqualTo(2);
        assertThat(parse("--router", "tcp://127.0.0.1:5555", "--clients", "3", "--window", "3", "--calls", "3")
                .clients()).isEqualTo(3);
        assertThat(processes.withPayload(1024, 2).clients()).isEqualTo(2);
    }

    @Test
    void clientsNeedProcessesOrARouterAndACallInFlightEach() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--clients", "2"))
                .withMessage("--clients starts client JVMs to load --processes or --router; give one of them");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--processes", "2", "--clients", "3", "--window", "2"))
                .withMessage("--clients 3 splits --window and --calls between the client JVMs: each needs at least 3, "
                        + "were 2 and 20000");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--processes", "2", "--clients", "4", "--calls", "3"))
                .withMessageContaining("were 64 and 3");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--processes", "2", "--clients", "-1"))
                .withMessage("--clients must not be negative, was -1");
        assertThat(BenchmarkOptions.usage()).contains("--clients K");
    }

    @Test
    void routerTakesAnAddressAndNoScenarios() {
        assertThat(BenchmarkOptions.parse(new String[] { "--router", "tcp://127.0.0.1:5555" }, new Properties()).router())
                .isEqualTo("tcp://127.0.0.1:5555");
        assertThat(BenchmarkOptions.parse(new String[0], new Properties()).router()).isNull();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse(
                new String[] { "--router", "tcp://127.0.0.1:5555", "--scenarios", "jeromq-raw" }, new Properties()))
                .withMessageContaining("--router");
    }
}

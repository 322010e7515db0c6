package io.voidrail.cli;

import static io.voidrail.cli.InProcess.voidrail;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.voidrail.cli.InProcess.Result;

/** Usage errors, help and key generation: everything that ends before a socket is opened. */
class CommandLineTests {

    /** {@code <prefix>_<YYMMDD>_<22 url-safe chars>}, as the original generates them. */
    static final String KEY = "_[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])_[A-Za-z0-9_-]{22}";

    @ParameterizedTest(name = "voidrail {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                   | Missing command: router, client or dealer
            nonsense                                             | Unmatched argument at index 0: 'nonsense'
            client                                               | Nothing to do: give --list, --router-info, --queue-status or --call
            client --list --frobnicate                           | Unknown option: '--frobnicate'
            client --args [1]                                    | --args needs --call
            client --call echo                                   | --call takes Group.method, e.g. EchoService.echo; was 'echo'
            client --list --timeout 0                            | --timeout must be positive, was 0.0
            client --list --port 70000                           | --port must be between 1 and 65535, was 70000
            client --list --logger-level LOUD                    | Invalid value for option '--logger-level'
            router --mode round_robin                            | Unknown router mode 'round_robin': use fifo or load_balance
            router --heartbeat -1                                | --heartbeat must be positive, was -1.0
            router --startup-grace -1                            | --startup-grace must not be negative, was -1.0
            dealer --instances 0 --class x.Y                     | --instances must be at least 1, was 0
            dealer                                               | No service class: give --class FQCN, or --package/--classpath
            dealer --class does.not.Exist                        | Service class does.not.Exist not found (add its jar or classes directory with --classpath)
            dealer --classpath /no/such/dir                      | Classpath entry not found: /no/such/dir
            dealer --package io.voidrail.cli.fixtures.broken --classpath target/test-classes | io.voidrail.cli.fixtures.broken.ConfiguredService needs a public no-argument constructor
            dealer --package io.voidrail.cli.fixtures.two --classpath target/test-classes    | Several @VoidRailService classes in package io.voidrail.cli.fixtures.two
            """)
    void aBadCommandLineIsOneLineOnStderrAndExitCodeTwo(String commandLine, String message) {
        Result result = voidrail(commandLine.isBlank() ? new String[0] : commandLine.split(" "));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString().startsWith("error: ").contains(message);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] { "router", "client", "dealer" }) {
            Result result = voidrail(command, "--help");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("Usage: voidrail " + command).contains("--port=PORT", "--debug");
        }
        assertThat(voidrail("router", "--help").out()).contains("--mode=MODE", "fifo, load_balance. fifo: the router");
    }

    @Test
    void generatesKeysAndTheRouterCommandLineThatUsesThem() {
        Result result = voidrail("router", "--generate-keys", "--port", "6000", "--mode", "load-balance", "--heartbeat", "2.5");

        assertThat(result.exitCode()).isZero();
        Matcher keys = Pattern.compile("(?s)Dealer key: (dealer" + KEY + ")\nClient key: (client" + KEY + ")\n")
                .matcher(result.out());
        assertThat(keys.lookingAt()).as(result.out()).isTrue();
        assertThat(result.out()).contains("\n  voidrail router --host 127.0.0.1 --port 6000 --mode load_balance --heartbeat 2.5"
                + " --require-auth --dealer-keys " + keys.group(1) + " --client-keys " + keys.group(2) + "\n");
        assertThat(keys.group(1)).isNotEqualTo(keys.group(2).replace("client", "dealer"));
    }

    @Test
    void dealerInstancesInheritMemoryGcAndPropertiesButNoDebuggerNorAgent() {
        assertThat(DealerCommand.forwardedJvmOptions(List.of("-Xmx128m", "-XX:+UseSerialGC", "-Dvoidrail.x=1",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-agentpath:/opt/ap/libasyncProfiler.so=start",
                "-javaagent:/opt/agent.jar", "-Xrunjdwp:transport=dt_socket", "-Xdebug")))
                .containsExactly("-Xmx128m", "-XX:+UseSerialGC", "-Dvoidrail.x=1");
    }
}

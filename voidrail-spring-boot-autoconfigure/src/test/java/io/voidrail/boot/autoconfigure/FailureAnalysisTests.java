package io.voidrail.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.router.ServiceRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when VoidRail cannot start: Spring Boot's report, saying what to fix. */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalysisTests {

    @Test
    void anInvalidValueNamesThePropertyAndTheReason(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(Empty.class, "voidrail.router.max-queue-length=-3"));
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: voidrail.router.max-queue-length",
                "Value: \"-3\"", "must be at least 1, was -3", "Update your application's configuration");
    }

    @Test
    void aBadAddressSaysWhatAnAddressLooksLike(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(Empty.class, "voidrail.router-address=localhost:5555"));
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: voidrail.router-address",
                "expected tcp://host:port, ipc://path or inproc://name");
    }

    @Test
    void anUnknownModeListsTheValidOnes(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(Empty.class, "voidrail.router.mode=round-robin"));
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: voidrail.router.mode",
                "Value: \"round-robin\"", "The following values are valid:", "FIFO", "LOAD_BALANCE");
    }

    @Test
    void aTypedClientMethodThatCannotBeMappedIsNamed(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(BadClient.class));
        assertThat(output).contains("APPLICATION FAILED TO START", "Typed VoidRail client method "
                + Blocking.class.getName() + ".echoAsync(String) is named like an asynchronous method", "Action:");
    }

    @Test
    void duplicateMethodNamesSayHowToRenameOne(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(Duplicates.class));
        assertThat(output).contains("APPLICATION FAILED TO START", "Duplicate VoidRail method name Twice.same",
                "Action:", "@ServiceMethod(name = \"...\")");
    }

    @Test
    void anAddressInUseSaysHowToPickAnother(CapturedOutput output) {
        try (ServiceRouter taken = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start()) {
            assertThatException().isThrownBy(() -> run(Empty.class, "voidrail.router.enabled=true",
                    "voidrail.router.bind-address=" + taken.address()));
            assertThat(output).contains("APPLICATION FAILED TO START", "Cannot bind the VoidRail router to "
                    + taken.address(), "set 'voidrail.router.bind-address' to another address (port 0 picks a free port)");
        }
    }

    private static void run(Class<?> configuration, String... properties) {
        new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).properties(properties).run().close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
            VoidRailDealerAutoConfiguration.class })
    static class Empty {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
            VoidRailDealerAutoConfiguration.class })
    static class Duplicates {

        @Bean
        One one() {
            return new One();
        }

        @Bean
        Other other() {
            return new Other();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
            VoidRailDealerAutoConfiguration.class })
    @ImportVoidRailClients(Blocking.class)
    static class BadClient {

        // the typed client is made at start-up, when something needs it
        @Bean
        String user(Blocking blocking) {
            return blocking.toString();
        }

    }

    @VoidRailService("EchoService")
    public interface Blocking {

        String echoAsync(String message);

    }

    @VoidRailService("Twice")
    public static class One {

        @ServiceMethod
        public String same() {
            return "one";
        }

    }

    @VoidRailService("Twice")
    public static class Other {

        @ServiceMethod
        public String same() {
            return "other";
        }

    }

}

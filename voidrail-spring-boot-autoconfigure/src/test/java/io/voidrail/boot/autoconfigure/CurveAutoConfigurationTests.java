package io.voidrail.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.ErrorCode;
import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.boot.Failures;
import io.voidrail.boot.autoconfigure.internal.CurveSettings;
import io.voidrail.boot.autoconfigure.internal.VoidRailSetupException;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.VoidRailClient;
import io.voidrail.router.ServiceRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code voidrail.curve.*}: the in-process router, its dealers and the client over CURVE; bad settings fail start-up. */
class CurveAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class,
                VoidRailClientAutoConfiguration.class, VoidRailDealerAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void anApplicationWithARouterServesOverCurveAndAdmitsOnlyListedPeers() {
        CurveKeys.Pair routerKeys = CurveKeys.generate();
        Path keyFile = CurveKeys.save(routerKeys, this.dir.resolve("keys"), "app").get(1);
        CurveKeys.Pair remoteKeys = CurveKeys.generate();
        CurveKeys.save(remoteKeys, this.dir.resolve("allowed"), "remote");
        this.runner
            .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                    "voidrail.curve.enabled=true", "voidrail.curve.key-file=" + keyFile,
                    "voidrail.curve.allow-list=" + this.dir.resolve("allowed"), "voidrail.curve.reload-period=1s")
            .withBean(EchoService.class)
            .run((context) -> {
                ServiceRouter router = context.getBean(ServiceRouter.class);
                assertThat(router.settings().curve()).isNotNull();
                assertThat(router.settings().curve().reloadPeriod()).isEqualTo(Duration.ofSeconds(1));
                // the application's own dealer and client share the router's pair, which the router admits
                VoidRailClient client = context.getBean(VoidRailClient.class);
                assertThat(client.invoke("EchoService.add", Integer.class, 5, 3)).isEqualTo(8);

                try (ClientDealer remote = ClientDealer.builder().routerAddress(router.address())
                    .environment(new AuthEnvironment(Map.of()))
                    .curve(new CurveClientConfig(routerKeys.publicKey(), remoteKeys)).build();
                        ClientDealer plain = ClientDealer.builder().routerAddress(router.address())
                            .environment(new AuthEnvironment(Map.of()))
                            .timeout(Duration.ofSeconds(1)).build()) {
                    assertThat(remote.invoke("EchoService.add", Integer.class, 1, 2)).isEqualTo(3);
                    assertThatExceptionOfType(VoidRailException.class)
                        .isThrownBy(() -> plain.invoke("EchoService.add", Integer.class, 1, 2));
                }
            });
    }

    @Test
    void aPeerApplicationTakesItsKeysAndTheRoutersPublicKeyFromProperties() {
        CurveKeys.Pair own = CurveKeys.generate();
        String routerKey = CurveKeys.generate().publicKey();
        this.runner
            .withPropertyValues("voidrail.curve.enabled=true", "voidrail.curve.secret-key=" + own.secretKey(),
                    "voidrail.curve.server-key=" + routerKey)
            .run((context) -> {
                VoidRailProperties properties = context.getBean(VoidRailProperties.class);
                assertThat(properties.getCurve().toString()).doesNotContain(own.secretKey()).contains("secretKey=***");
                CurveClientConfig config = CurveSettings.peer(properties);
                assertThat(config.keys()).isEqualTo(own);
                assertThat(config.serverPublicKey()).isEqualTo(routerKey);
            });
    }

    @Test
    void curveSettingsThatCannotWorkFailStartUpNamingTheProperty() {
        Path keyFile = CurveKeys.save(CurveKeys.generate(), this.dir, "app").get(1);
        String[][] cases = { { "voidrail.curve.key-file", "voidrail.router.enabled=true" },
                { "voidrail.curve.server-key", "voidrail.curve.key-file=" + keyFile },
                { "voidrail.curve.key-file: " + this.dir.resolve("missing.key_secret"),
                        "voidrail.curve.key-file=" + this.dir.resolve("missing.key_secret"), "voidrail.router.enabled=true" },
                { "voidrail.curve.secret-key", "voidrail.curve.secret-key=not-a-key", "voidrail.router.enabled=true" } };
        for (String[] bad : cases) {
            String[] properties = new String[bad.length + 1];
            properties[0] = "voidrail.curve.enabled=true";
            properties[1] = "voidrail.router.bind-address=tcp://127.0.0.1:0";
            System.arraycopy(bad, 1, properties, 2, bad.length - 1);
            this.runner.withPropertyValues(properties).withBean(EchoService.class).run((context) -> {
                VoidRailSetupException failure = Failures.find(context.getStartupFailure(), VoidRailSetupException.class);
                assertThat(failure).as(String.join(", ", properties)).isNotNull();
                assertThat(failure.action()).as(String.join(", ", properties)).contains(bad[0]);
            });
        }
    }

    @Test
    void theRoutersRoleListsKeepDealerKeysFromCallingAndClientKeysFromRegistering() {
        CurveKeys.Pair routerKeys = CurveKeys.generate();
        Path keyFile = CurveKeys.save(routerKeys, this.dir.resolve("keys"), "app").get(1);
        CurveKeys.Pair workerKeys = CurveKeys.generate();
        CurveKeys.Pair webKeys = CurveKeys.generate();
        CurveKeys.save(workerKeys, this.dir.resolve("dealers"), "worker");
        CurveKeys.save(webKeys, this.dir.resolve("clients"), "web");
        this.runner
            .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                    "voidrail.curve.enabled=true", "voidrail.curve.key-file=" + keyFile,
                    "voidrail.curve.allow-dealers=" + this.dir.resolve("dealers"),
                    "voidrail.curve.allow-clients=" + this.dir.resolve("clients"))
            .withBean(EchoService.class)
            .run((context) -> {
                ServiceRouter router = context.getBean(ServiceRouter.class);
                assertThat(router.settings().curve().dealerAllowList()).isEqualTo(this.dir.resolve("dealers"));
                assertThat(router.settings().curve().clientAllowList()).isEqualTo(this.dir.resolve("clients"));
                // the application's own dealer and client share the router's pair: any role
                assertThat(context.getBean(VoidRailClient.class).invoke("EchoService.add", Integer.class, 5, 3)).isEqualTo(8);
                try (ClientDealer web = remoteClient(router, routerKeys, webKeys);
                        ClientDealer worker = remoteClient(router, routerKeys, workerKeys)) {
                    assertThat(web.invoke("EchoService.add", Integer.class, 1, 2)).isEqualTo(3);
                    assertThatExceptionOfType(VoidRailException.class)
                        .isThrownBy(() -> worker.invoke("EchoService.add", Integer.class, 1, 2))
                        .satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
                }
            });
    }

    private static ClientDealer remoteClient(ServiceRouter router, CurveKeys.Pair routerKeys, CurveKeys.Pair own) {
        return ClientDealer.builder().routerAddress(router.address()).environment(new AuthEnvironment(Map.of()))
            .curve(new CurveClientConfig(routerKeys.publicKey(), own)).timeout(Duration.ofSeconds(25)).build();
    }

}

package io.voidrail.boot.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.voidrail.VoidRailException;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.boot.Failures;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.ManagedVoidRailClient;
import io.voidrail.boot.autoconfigure.internal.RouterLifecycle;
import io.voidrail.boot.autoconfigure.internal.VoidRailSetupException;
import io.voidrail.boot.testapp.EchoClient;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.VoidRailClient;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class VoidRailAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class));

    /** A router on a free port, with the test's {@link EchoService} served by this application. */
    private final ApplicationContextRunner bus = this.runner
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
        .withBean(EchoService.class);

    @Test
    void clientIsAlwaysThereAndConnectsToTheDefaultAddress() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(VoidRailClient.class)
                .hasSingleBean(VoidRailConnectionDetails.class)
                .doesNotHaveBean(ServiceRouter.class)
                .doesNotHaveBean(DealerLifecycle.class);
            ClientDealer client = ((ManagedVoidRailClient) context.getBean(VoidRailClient.class)).delegate();
            assertThat(client.routerAddress()).isEqualTo("tcp://127.0.0.1:5555");
            assertThat(client.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void routerOnPortZeroPublishesItsPortAndServesDealersAndClient() {
        this.bus.run((context) -> {
            ServiceRouter router = context.getBean(ServiceRouter.class);
            assertThat(router.isRunning()).isTrue();
            assertThat(router.port()).isPositive();
            assertThat(context.getEnvironment().getProperty(RouterLifecycle.PORT_PROPERTY, Integer.class))
                .isEqualTo(router.port());
            List<ServiceDealer> dealers = context.getBean(DealerLifecycle.class).dealers();
            assertThat(dealers).singleElement().satisfies((dealer) -> {
                assertThat(dealer.group()).isEqualTo("EchoService");
                assertThat(dealer.isRegistered()).isTrue();
                assertThat(dealer.routerAddress()).isEqualTo(router.address());
            });
            VoidRailClient client = context.getBean(VoidRailClient.class);
            assertThat(client.invoke("EchoService.add", Integer.class, 5, 3)).isEqualTo(8);
            assertThat(client.isConnected()).isTrue();
        });
    }

    @Test
    void closingTheContextLetsRunningCallsFinish() {
        this.bus.run((context) -> {
            ServiceRouter router = context.getBean(ServiceRouter.class);
            try (ClientDealer remote = ClientDealer.builder().routerAddress(router.address()).build()) {
                CompletableFuture<String> call = remote.invokeAsync("EchoService.slow", String.class, 500);
                await().atMost(Duration.ofSeconds(5)).until(() -> router.status().requestsInProcess() == 1);
                context.close();
                // the dealer finished the call before leaving, and the router relayed the answer before closing
                assertThat(call).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("slept");
            }
        });
    }

    @Test
    void aRestartedContextBuildsANewClientBecauseAClosedOneStaysClosed() {
        try (ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start()) {
            this.runner.withPropertyValues("voidrail.router-address=" + router.address()).run((context) -> {
                ManagedVoidRailClient client = (ManagedVoidRailClient) context.getBean(VoidRailClient.class);
                ClientDealer first = client.delegate();
                assertThat(client.getRouterInfo().mode()).isEqualTo(RouterMode.FIFO);
                context.stop();
                assertThat(first.isClosed()).isTrue();
                context.start();
                assertThat(client.getRouterInfo().mode()).isEqualTo(RouterMode.FIFO);
                assertThat(client.delegate()).isNotSameAs(first);
            });
        }
    }

    @Test
    void routerStopsAfterTheDealersAndClientWhenTheContextCloses() {
        this.bus.run((context) -> {
            ServiceRouter router = context.getBean(ServiceRouter.class);
            ServiceDealer dealer = context.getBean(DealerLifecycle.class).dealers().get(0);
            VoidRailClient client = context.getBean(VoidRailClient.class);
            context.close();
            assertThat(router.isRunning()).isFalse();
            assertThat(dealer.state()).isEqualTo(io.voidrail.dealer.RegistrationState.STOPPED);
            assertThat(client.isConnected()).isFalse();
        });
    }

    @Test
    void runningDealersKeepTheJvmAliveUntilTheContextStops() {
        this.bus.run((context) -> {
            assertThat(keepAliveThread()).hasValueSatisfying((thread) -> assertThat(thread.isDaemon()).isFalse());
            context.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> keepAliveThread().isEmpty());
        });
    }

    private static Optional<Thread> keepAliveThread() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.getName().equals("voidrail-dealers-keep-alive") && thread.isAlive())
            .findFirst();
    }

    @Test
    void routerDefaultsEndAKilledBusyJavaDealersCallsWithin15Seconds() {
        this.bus.run((context) -> {
            ServiceRouter.Settings settings = context.getBean(ServiceRouter.class).settings();
            assertThat(settings.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.busyHeartbeatTimeout()).as("for dealers silent while busy").isEqualTo(Duration.ofMinutes(5));
            assertThat(settings.startupGrace()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void everyPropertyReachesTheCoreObjects() {
        this.bus
            .withPropertyValues("voidrail.router.mode=load-balance", "voidrail.router.heartbeat-timeout=7s",
                    "voidrail.router.busy-heartbeat-timeout=70s", "voidrail.router.max-queue-wait=3s",
                    "voidrail.router.startup-grace=1500ms",
                    "voidrail.router.max-queue-length=42", "voidrail.router.max-message-size=1MB",
                    "voidrail.dealer.slots=3", "voidrail.dealer.max-concurrent=9",
                    "voidrail.dealer.heartbeat-interval=500ms", "voidrail.dealer.router-silence-timeout=4s",
                    "voidrail.dealer.shutdown-grace-period=2s", "voidrail.dealer.inline-quick-calls=false",
                    "voidrail.client.timeout=12s")
            .run((context) -> {
                ServiceRouter.Settings settings = context.getBean(ServiceRouter.class).settings();
                assertThat(settings.mode()).isEqualTo(RouterMode.LOAD_BALANCE);
                assertThat(settings.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(settings.busyHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(70));
                assertThat(settings.maxQueueWait()).isEqualTo(Duration.ofSeconds(3));
                assertThat(settings.startupGrace()).isEqualTo(Duration.ofMillis(1500));
                assertThat(settings.maxQueueLength()).isEqualTo(42);
                assertThat(settings.maxMessageSize()).isEqualTo(1024 * 1024);
                ServiceDealer dealer = context.getBean(DealerLifecycle.class).dealers().get(0);
                assertThat(dealer.slots()).isEqualTo(3);
                assertThat(dealer.maxConcurrent()).isEqualTo(9);
                assertThat(dealer.inlineQuickCalls()).isFalse();
                ClientDealer client = ((ManagedVoidRailClient) context.getBean(VoidRailClient.class)).delegate();
                assertThat(client.defaultTimeout()).isEqualTo(Duration.ofSeconds(12));
                // dealer timing is not exposed by core: the dealer registering and answering shows it took them
                assertThat(client.invoke("EchoService.echo", String.class, "configured")).isEqualTo("configured");
            });
    }

    @Test
    void directCallbacksCompleteCallsOnTheClientsIoThreadAndOnlyWhenAskedFor() {
        this.bus.withPropertyValues("voidrail.client.direct-callbacks=true")
            .run((context) -> assertThat(completingThread(context.getBean(VoidRailClient.class)))
                .startsWith("voidrail-client-"));
        this.bus.run((context) -> assertThat(completingThread(context.getBean(VoidRailClient.class)))
            .doesNotStartWith("voidrail-client-")
            .isNotEqualTo(Thread.currentThread().getName()));
    }

    /** The thread that completes a call of 0.2 s: the stage is attached before the answer comes. */
    private static String completingThread(VoidRailClient client) throws Exception {
        return client.call("EchoService.slow").arg(200L).invokeAsync(String.class)
            .thenApply((result) -> Thread.currentThread().getName())
            .get(10, TimeUnit.SECONDS);
    }

    @Test
    void dealersAreConfiguredOnlyWhenThereAreServiceBeans() {
        this.runner.withBean(EchoService.class)
            .run((context) -> assertThat(context).hasSingleBean(DealerLifecycle.class));
        // a typed client's interface carries @VoidRailService too, but there is nothing to serve
        this.runner.withUserConfiguration(ClientOnly.class)
            .run((context) -> assertThat(context).hasSingleBean(EchoClient.class)
                .doesNotHaveBean(DealerLifecycle.class)
                .doesNotHaveBean("voidRailServiceBeanPostProcessor"));
    }

    @Test
    void aConnectAddressOnPortZeroIsRefusedNamingTheBindAddress() {
        this.runner.withPropertyValues("voidrail.router-address=tcp://127.0.0.1:0").run((context) -> {
            BindException bind = Failures.find(context.getStartupFailure(), BindException.class);
            assertThat(bind.getProperty().getName()).hasToString("voidrail.router-address");
            assertThat(bind).rootCause().hasMessageContaining("voidrail.router.bind-address");
        });
    }

    @Test
    void theSharedEnvironmentVariableOfOldReachesOnlyTheConnectAddress() {
        // VOIDRAIL_ROUTER_ADDRESS used to bind both where the router listens and where peers connect
        this.bus.withInitializer((context) -> context.getEnvironment()
            .getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    Map.of("VOIDRAIL_ROUTER_ADDRESS", "tcp://127.0.0.1:7"))))
            .run((context) -> {
                VoidRailProperties properties = context.getBean(VoidRailProperties.class);
                assertThat(properties.getRouterAddress()).isEqualTo("tcp://127.0.0.1:7");
                assertThat(properties.getRouter().getBindAddress()).isEqualTo("tcp://127.0.0.1:0");
            });
    }

    @Test
    void connectionDetailsOfTheApplicationTellDealersAndClientWhereTheRouterIs() {
        try (ServiceRouter elsewhere = ServiceRouter.builder().address("tcp://127.0.0.1:0").requireAuth(true)
            .dealerApiKeys(List.of("platform-key")).clientApiKeys(List.of("platform-key")).build().start()) {
            VoidRailConnectionDetails details = new VoidRailConnectionDetails() {

                @Override
                public String getRouterAddress() {
                    return elsewhere.address();
                }

                @Override
                public String getApiKey() {
                    return "platform-key";
                }

            };
            this.runner.withPropertyValues("voidrail.router-address=tcp://127.0.0.1:7", "voidrail.api-key=wrong")
                .withBean(VoidRailConnectionDetails.class, () -> details)
                .withBean(EchoService.class)
                .run((context) -> {
                    assertThat(context).getBean(VoidRailConnectionDetails.class).isSameAs(details);
                    ServiceDealer dealer = context.getBean(DealerLifecycle.class).dealers().get(0);
                    assertThat(dealer.routerAddress()).isEqualTo(elsewhere.address());
                    assertThat(dealer.registered()).succeedsWithin(Duration.ofSeconds(10));
                    assertThat(context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "there"))
                        .isEqualTo("there");
                });
        }
    }

    @Test
    void explicitRouterAddressWinsOverTheInProcessRouter() {
        this.runner.withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                "voidrail.router-address=tcp://127.0.0.1:7")
            .run((context) -> {
                ClientDealer client = ((ManagedVoidRailClient) context.getBean(VoidRailClient.class)).delegate();
                assertThat(client.routerAddress()).isEqualTo("tcp://127.0.0.1:7");
            });
    }

    @Test
    void severalRouterAddressesGoToTheDealersAndTheClient() {
        this.runner.withBean(EchoService.class)
            .withPropertyValues("voidrail.router-address=tcp://127.0.0.1:7, tcp://127.0.0.1:8")
            .run((context) -> {
                ClientDealer client = ((ManagedVoidRailClient) context.getBean(VoidRailClient.class)).delegate();
                assertThat(client.routerAddresses()).containsExactly("tcp://127.0.0.1:7", "tcp://127.0.0.1:8");
                assertThat(context.getBean(DealerLifecycle.class).dealers().get(0).routerAddresses())
                    .containsExactly("tcp://127.0.0.1:7", "tcp://127.0.0.1:8");
            });
    }

    @Test
    void clientConnectTimeoutAndWaitForReadyAreApplied() {
        ApplicationContextRunner unreachable = this.runner.withPropertyValues(
                "voidrail.router-address=tcp://127.0.0.1:1", "voidrail.client.connect-timeout=200ms",
                "voidrail.client.heartbeat-interval=100ms", "voidrail.client.timeout=2s");
        unreachable.run((context) -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "x"))
                .isInstanceOfSatisfying(VoidRailException.class,
                        (ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        });
        unreachable.withPropertyValues("voidrail.client.wait-for-ready=true").run((context) -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "x"))
                .isInstanceOfSatisfying(VoidRailException.class,
                        (ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        });
    }

    @Test
    void originalEnvironmentVariablesConfigureAuthentication() {
        Map<String, Object> env = new HashMap<>();
        env.put("VOIDRAIL_REQUIRE_AUTH", "yes");
        env.put("VOIDRAIL_DEALER_API_KEYS", "dealer-key, other-dealer-key");
        env.put("VOIDRAIL_CLIENT_API_KEYS", "client-key");
        env.put("VOIDRAIL_API_KEY", "client-key");
        this.bus.withInitializer((context) -> context.getEnvironment()
            .getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            env)))
            .withBean("dealerKey", VoidRailDealerCustomizer.class,
                    () -> (group, builder) -> builder.apiKey("other-dealer-key"))
            .run((context) -> {
                VoidRailProperties properties = context.getBean(VoidRailProperties.class);
                assertThat(properties.isRequireAuth()).isTrue();
                assertThat(properties.getApiKey()).isEqualTo("client-key");
                ServiceRouter.Settings settings = context.getBean(ServiceRouter.class).settings();
                assertThat(settings.requireAuth()).isTrue();
                assertThat(settings.dealerKeys().fingerprints()).containsExactly(ApiKeyManager.redact("dealer-key"),
                        ApiKeyManager.redact("other-dealer-key"));
                assertThat(settings.clientKeys().fingerprints()).containsExactly(ApiKeyManager.redact("client-key"));
                assertThat(context.getBean(DealerLifecycle.class).dealers().get(0).isRegistered()).isTrue();
                assertThat(context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "authed"))
                    .isEqualTo("authed");
            });
    }

    @Test
    void clientWithAWrongKeyIsRefused() {
        this.bus
            .withPropertyValues("voidrail.require-auth=true", "voidrail.client-api-keys=right",
                    "voidrail.dealer-api-keys=dealer", "voidrail.api-key=wrong", "voidrail.client.timeout=2s")
            .withBean(VoidRailDealerCustomizer.class, () -> (group, builder) -> builder.apiKey("dealer"))
            .run((context) -> {
                assertThat(context.getBean(DealerLifecycle.class).dealers().get(0).isRegistered()).isTrue();
                assertThatExceptionOfType(VoidRailException.class)
                    .isThrownBy(() -> context.getBean(VoidRailClient.class)
                        .invoke("EchoService.echo", String.class, "x"))
                    .satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            });
    }

    @Test
    void customizersSeeTheBuilders() {
        this.bus.withBean(VoidRailRouterCustomizer.class, () -> (builder) -> builder.maxQueueLength(7))
            .withBean(VoidRailDealerCustomizer.class, () -> (group, builder) -> builder.slots(group.length()))
            .withBean(VoidRailClientCustomizer.class, () -> (builder) -> builder.timeout(Duration.ofSeconds(3)))
            .run((context) -> {
                assertThat(context.getBean(ServiceRouter.class).settings().maxQueueLength()).isEqualTo(7);
                assertThat(context.getBean(DealerLifecycle.class).dealers().get(0).slots())
                    .isEqualTo("EchoService".length());
                assertThat(((ManagedVoidRailClient) context.getBean(VoidRailClient.class)).delegate().defaultTimeout())
                    .isEqualTo(Duration.ofSeconds(3));
            });
    }

    @Test
    void applicationBeansReplaceTheDefaults() {
        this.runner.withPropertyValues("voidrail.router.enabled=true")
            .withUserConfiguration(OwnBeans.class)
            .run((context) -> {
                assertThat(context.getBean(VoidRailClient.class)).isSameAs(context.getBean(OwnBeans.class).client);
                assertThat(context.getBean(ServiceRouter.class).settings().maxQueueLength()).isEqualTo(3);
                assertThat(context.getBean(JsonCodec.class)).isSameAs(OwnBeans.CODEC);
            });
    }

    @Test
    void dealersCanBeSwitchedOff() {
        this.runner.withPropertyValues("voidrail.dealer.enabled=false")
            .withBean(EchoService.class)
            .run((context) -> assertThat(context).doesNotHaveBean(DealerLifecycle.class)
                .hasSingleBean(VoidRailClient.class));
    }

    @Test
    void payloadsUseVoidRailsMapperUnlessTheApplicationsIsAskedFor() {
        ApplicationContextRunner withJackson = this.runner
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withPropertyValues("spring.jackson.serialization.indent-output=true");
        withJackson.run((context) -> assertThat(context.getBean(JsonCodec.class)).isSameAs(JsonCodec.defaults()));
        withJackson.withPropertyValues("voidrail.json.use-application-mapper=true").run((context) -> {
            JsonMapper mapper = context.getBean(JsonCodec.class).mapper();
            assertThat(mapper.isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
        });
        this.runner.withPropertyValues("voidrail.json.use-application-mapper=true")
            .run((context) -> assertThat(context).getFailure().hasRootCauseInstanceOf(VoidRailSetupException.class));
    }

    @Test
    void invalidValuesFailStartupNamingTheProperty() {
        Map<String, String> invalid = Map.of("voidrail.router.bind-address", "tcp//127.0.0.1:5555",
                "voidrail.router-address", "http://router:5555", "voidrail.router.max-queue-length", "-1",
                "voidrail.router.max-message-size", "-1MB", "voidrail.router.heartbeat-timeout", "-5s",
                "voidrail.dealer.slots", "0", "voidrail.dealer.shutdown-grace-period", "-1s",
                "voidrail.client.timeout", "0s", "voidrail.router.mode", "round-robin");
        invalid.forEach((name, value) -> this.runner.withPropertyValues(name + "=" + value)
            .run((context) -> {
                BindException bind = Failures.find(context.getStartupFailure(), BindException.class);
                assertThat(bind).as(name).isNotNull();
                assertThat(bind.getProperty().getName()).as(name).hasToString(name);
            }));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportVoidRailClients(EchoClient.class)
    static class ClientOnly {

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        static final JsonCodec CODEC = new JsonCodec(JsonMapper.builder().build());

        final VoidRailClient client = ClientDealer.builder().build();

        @Bean
        VoidRailClient myClient() {
            return this.client;
        }

        @Bean
        ServiceRouter myRouter() {
            return ServiceRouter.builder().address("tcp://127.0.0.1:0").maxQueueLength(3).build();
        }

        @Bean
        JsonCodec myCodec() {
            return CODEC;
        }

    }

}

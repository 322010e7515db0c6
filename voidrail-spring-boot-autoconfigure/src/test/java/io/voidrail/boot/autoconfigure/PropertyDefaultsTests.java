package io.voidrail.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.voidrail.boot.autoconfigure.internal.CoreBuilders;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.event.CallListener;
import io.voidrail.router.ServiceRouter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults of {@link VoidRailProperties} are core's: each is compared with what a core builder left alone
 * produces, so that the IDE help (which shows the properties' defaults) tells what really happens.
 */
class PropertyDefaultsTests {

    private final VoidRailProperties properties = new VoidRailProperties();

    @Test
    void routerDefaultsAreCoreDefaults() {
        ServiceRouter.Settings core = ServiceRouter.builder().build().settings();
        ServiceRouter.Settings mapped = CoreBuilders.router(this.properties, JsonCodec.defaults()).build().settings();
        VoidRailProperties.Router router = this.properties.getRouter();
        assertThat(router.getBindAddress()).isEqualTo(core.address());
        assertThat(router.getMode()).isEqualTo(core.mode());
        assertThat(router.getHeartbeatTimeout()).isEqualTo(core.heartbeatTimeout());
        assertThat(router.getMaxQueueWait()).isEqualTo(core.maxQueueWait());
        assertThat(router.getMaxQueueLength()).isEqualTo(core.maxQueueLength());
        assertThat(router.isColocated()).isEqualTo(core.colocated()).isTrue();
        assertThat(router.getMaxMessageSize().toBytes()).isEqualTo(core.maxMessageSize());
        // unset: core derives it from the heartbeat timeout
        assertThat(router.getBusyHeartbeatTimeout()).isNull();
        assertThat(mapped.busyHeartbeatTimeout()).isEqualTo(core.busyHeartbeatTimeout());
        assertThat(mapped).usingRecursiveComparison().ignoringFields("codec", "requireAuth", "dealerKeys", "clientKeys")
            .isEqualTo(core);
    }

    @Test
    void dealerDefaultsAreCoreDefaults() {
        ServiceDealer core = ServiceDealer.builder().service(new EchoService()).build();
        ServiceDealer mapped = CoreBuilders
            .dealer(this.properties, "tcp://127.0.0.1:5555", null, JsonCodec.defaults(), CallListener.NONE, List.of())
            .service(new EchoService())
            .build();
        VoidRailProperties.Dealer dealer = this.properties.getDealer();
        assertThat(dealer.getSlots()).isEqualTo(core.slots());
        assertThat(dealer.getMaxConcurrent()).isEqualTo(core.maxConcurrent());
        assertThat(dealer.getHeartbeatInterval()).isEqualTo(core.heartbeatInterval());
        assertThat(dealer.getShutdownGracePeriod()).isEqualTo(core.shutdownGracePeriod());
        assertThat(dealer.isInlineQuickCalls()).isEqualTo(core.inlineQuickCalls()).isTrue();
        assertThat(mapped.inlineQuickCalls()).isTrue();
        assertThat(dealer.getRouterSilenceTimeout()).isNull();
        assertThat(mapped.routerSilenceTimeout()).isEqualTo(core.routerSilenceTimeout());
        assertThat(mapped.routerAddress()).isEqualTo(core.routerAddress())
            .isEqualTo(VoidRailProperties.DEFAULT_ADDRESS);
    }

    @Test
    void clientDefaultsAreCoreDefaults() {
        try (ClientDealer core = ClientDealer.builder().build()) {
            assertThat(this.properties.getClient().getTimeout()).isEqualTo(core.defaultTimeout());
            assertThat(core.routerAddress()).isEqualTo(VoidRailProperties.DEFAULT_ADDRESS);
        }
    }

    @Test
    void setPropertiesReachTheBuilders() {
        this.properties.getRouter().setBusyHeartbeatTimeout(Duration.ofSeconds(99));
        this.properties.getDealer().setRouterSilenceTimeout(Duration.ofSeconds(7));
        this.properties.getRouter().setColocated(false);
        assertThat(CoreBuilders.router(this.properties, JsonCodec.defaults()).build().settings().colocated()).isFalse();
        assertThat(CoreBuilders.router(this.properties, JsonCodec.defaults()).build().settings().busyHeartbeatTimeout())
            .isEqualTo(Duration.ofSeconds(99));
        assertThat(CoreBuilders
            .dealer(this.properties, "tcp://127.0.0.1:5555", null, JsonCodec.defaults(), CallListener.NONE, List.of())
            .service(new EchoService())
            .build()
            .routerSilenceTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

}

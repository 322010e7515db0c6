package io.voidrail.boot.autoconfigure.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.boot.autoconfigure.VoidRailClientCustomizer;
import io.voidrail.boot.autoconfigure.VoidRailDealerCustomizer;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.boot.autoconfigure.VoidRailRouterCustomizer;
import io.voidrail.client.CallAdapter;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.event.CallListener;
import io.voidrail.internal.Addresses;
import io.voidrail.router.ServiceRouter;
import io.voidrail.service.ReturnValueAdapter;

/**
 * Maps {@link VoidRailProperties} and the application's beans (codec, listeners, adapters, customizers) onto the
 * core builders. Beans are looked up when a builder is made, not when this object is.
 */
public final class CoreBuilders {

    private final VoidRailProperties properties;

    private final ObjectProvider<JsonCodec> codec;

    private final ObjectProvider<CallListener> listeners;

    private final ObjectProvider<ReturnValueAdapter> returnValueAdapters;

    private final ObjectProvider<CallAdapter> callAdapters;

    public CoreBuilders(VoidRailProperties properties, ObjectProvider<JsonCodec> codec,
            ObjectProvider<CallListener> listeners, ObjectProvider<ReturnValueAdapter> returnValueAdapters,
            ObjectProvider<CallAdapter> callAdapters) {
        this.properties = properties;
        this.codec = codec;
        this.listeners = listeners;
        this.returnValueAdapters = returnValueAdapters;
        this.callAdapters = callAdapters;
    }

    public ServiceRouter.Builder router(ObjectProvider<VoidRailRouterCustomizer> customizers) {
        VoidRailProperties.Router router = this.properties.getRouter();
        ServiceRouter.Builder builder = ServiceRouter.builder()
            .address(router.getAddress())
            .mode(router.getMode())
            .heartbeatTimeout(router.getHeartbeatTimeout())
            .maxQueueWait(router.getMaxQueueWait())
            .maxQueueLength(router.getMaxQueueLength())
            .maxMessageSize(router.getMaxMessageSize().toBytes())
            .environment(authEnvironment())
            .codec(this.codec.getObject());
        if (router.getBusyHeartbeatTimeout() != null) {
            builder.busyHeartbeatTimeout(router.getBusyHeartbeatTimeout());
        }
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder;
    }

    public ServiceDealer.Builder dealer(String group, String routerAddress,
            ObjectProvider<VoidRailDealerCustomizer> customizers) {
        VoidRailProperties.Dealer dealer = this.properties.getDealer();
        ServiceDealer.Builder builder = ServiceDealer.builder()
            .routerAddresses(Addresses.list(routerAddress))
            .slots(dealer.getSlots())
            .maxConcurrent(dealer.getMaxConcurrent())
            .heartbeatInterval(dealer.getHeartbeatInterval())
            .shutdownGracePeriod(dealer.getShutdownGracePeriod())
            .environment(authEnvironment())
            .codec(this.codec.getObject())
            .listener(listener());
        if (dealer.getRouterSilenceTimeout() != null) {
            builder.routerSilenceTimeout(dealer.getRouterSilenceTimeout());
        }
        this.returnValueAdapters.orderedStream().forEach(builder::returnValueAdapter);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(group, builder));
        return builder;
    }

    public ClientDealer.Builder client(String routerAddress, ObjectProvider<VoidRailClientCustomizer> customizers) {
        VoidRailProperties.Client client = this.properties.getClient();
        ClientDealer.Builder builder = ClientDealer.builder()
            .routerAddresses(Addresses.list(routerAddress))
            .timeout(client.getTimeout())
            .connectTimeout(client.getConnectTimeout())
            .waitForReady(client.isWaitForReady())
            .heartbeatInterval(client.getHeartbeatInterval())
            .streamWindow(client.getStreamWindow())
            .environment(authEnvironment())
            .codec(this.codec.getObject())
            .listener(listener());
        this.callAdapters.orderedStream().forEach(builder::callAdapter);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder;
    }

    private CallListener listener() {
        List<CallListener> all = this.listeners.orderedStream().toList();
        return (all.size() == 1) ? all.get(0) : new CompositeCallListener(all);
    }

    /**
     * The settings in the shape core reads its {@code VOIDRAIL_*} variables: Spring's configuration, which already
     * includes the process environment, stays the only source.
     */
    AuthEnvironment authEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(AuthEnvironment.REQUIRE_AUTH, Boolean.toString(this.properties.isRequireAuth()));
        env.put(AuthEnvironment.DEALER_API_KEYS, String.join(",", this.properties.getDealerApiKeys()));
        env.put(AuthEnvironment.CLIENT_API_KEYS, String.join(",", this.properties.getClientApiKeys()));
        String apiKey = this.properties.getApiKey();
        if (apiKey != null) {
            env.put(AuthEnvironment.API_KEY, apiKey);
        }
        return new AuthEnvironment(env);
    }

}

package io.voidrail.boot.autoconfigure.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.client.CallAdapter;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.event.CallListener;
import io.voidrail.internal.Addresses;
import io.voidrail.router.ServiceRouter;
import io.voidrail.service.ReturnValueAdapter;

/**
 * Maps {@link VoidRailProperties} onto the core builders. A property left unset (the busy heartbeat timeout, the
 * router silence timeout) is not mapped, so core's derived default applies. Spring's configuration, which already
 * includes the process environment, is the only source of keys: the builders read no {@code VOIDRAIL_*} variable
 * unless told ({@code fromEnvironment()}), which this module never does.
 */
public final class CoreBuilders {

    private CoreBuilders() {
    }

    public static ServiceRouter.Builder router(VoidRailProperties properties, JsonCodec codec) {
        VoidRailProperties.Router router = properties.getRouter();
        ServiceRouter.Builder builder = ServiceRouter.builder().codec(codec).environment(routerKeys(properties));
        PropertyMapper map = PropertyMapper.get();
        map.from(router::getBindAddress).to(builder::address);
        map.from(router::getMode).to(builder::mode);
        map.from(router::getHeartbeatTimeout).to(builder::heartbeatTimeout);
        map.from(router::getBusyHeartbeatTimeout).to(builder::busyHeartbeatTimeout);
        map.from(router::getMaxQueueWait).to(builder::maxQueueWait);
        map.from(router::getStartupGrace).to(builder::startupGrace);
        map.from(router::getMaxQueueLength).to(builder::maxQueueLength);
        map.from(router::isColocated).to(builder::colocated);
        map.from(router::getMaxMessageSize).as(DataSize::toBytes).to(builder::maxMessageSize);
        map.from(CurveSettings.router(properties)).to(builder::curve);
        return builder;
    }

    public static ServiceDealer.Builder dealer(VoidRailProperties properties, String routerAddress,
            @Nullable String apiKey, JsonCodec codec, CallListener listener, List<ReturnValueAdapter> adapters) {
        VoidRailProperties.Dealer dealer = properties.getDealer();
        ServiceDealer.Builder builder = ServiceDealer.builder()
            .routerAddresses(Addresses.list(routerAddress))
            .apiKey(apiKey)
            .codec(codec)
            .listener(listener);
        PropertyMapper map = PropertyMapper.get();
        map.from(dealer::getSlots).to(builder::slots);
        map.from(dealer::getMaxConcurrent).to(builder::maxConcurrent);
        map.from(dealer::getHeartbeatInterval).to(builder::heartbeatInterval);
        map.from(dealer::getRouterSilenceTimeout).to(builder::routerSilenceTimeout);
        map.from(dealer::getShutdownGracePeriod).to(builder::shutdownGracePeriod);
        map.from(dealer::isInlineQuickCalls).to(builder::inlineQuickCalls);
        map.from(CurveSettings.peer(properties)).to(builder::curve);
        adapters.forEach(builder::returnValueAdapter);
        return builder;
    }

    public static ClientDealer.Builder client(VoidRailProperties properties, String routerAddress,
            @Nullable String apiKey, JsonCodec codec, CallListener listener, List<CallAdapter> adapters) {
        ClientDealer.Builder builder = ClientDealer.builder()
            .routerAddresses(Addresses.list(routerAddress))
            .apiKey(apiKey)
            .codec(codec)
            .listener(listener);
        PropertyMapper map = PropertyMapper.get();
        VoidRailProperties.Client client = properties.getClient();
        map.from(client::getTimeout).to(builder::timeout);
        map.from(client::getConnectTimeout).to(builder::connectTimeout);
        map.from(client::isWaitForReady).to(builder::waitForReady);
        map.from(client::getHeartbeatInterval).to(builder::heartbeatInterval);
        map.from(client::getStreamWindow).to(builder::streamWindow);
        if (client.isDirectCallbacks()) {
            builder.callbackExecutor(Runnable::run);
        }
        map.from(CurveSettings.peer(properties)).to(builder::curve);
        adapters.forEach(builder::callAdapter);
        return builder;
    }

    /** One listener for all: none, the only one, or all of them in order. */
    public static CallListener listener(List<CallListener> listeners) {
        return (listeners.size() == 1) ? listeners.get(0) : new CompositeCallListener(listeners);
    }

    /** The in-process router's keys in the shape core reads its {@code VOIDRAIL_*} variables. */
    static AuthEnvironment routerKeys(VoidRailProperties properties) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(AuthEnvironment.REQUIRE_AUTH, Boolean.toString(properties.isRequireAuth()));
        env.put(AuthEnvironment.DEALER_API_KEYS, String.join(",", properties.getDealerApiKeys()));
        env.put(AuthEnvironment.CLIENT_API_KEYS, String.join(",", properties.getClientApiKeys()));
        return new AuthEnvironment(env);
    }

}

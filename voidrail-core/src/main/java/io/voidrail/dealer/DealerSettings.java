package io.voidrail.dealer;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallListener;

/** A dealer's configuration, fixed at build time (see {@link ServiceDealer.Builder} for meanings). */
record DealerSettings(List<String> routerAddresses, int slots, int maxConcurrent, Duration heartbeatInterval,
        Duration routerSilenceTimeout, Duration shutdownGracePeriod, @Nullable String apiKey, JsonCodec codec,
        CallListener listener, List<io.voidrail.service.ReturnValueAdapter> adapters, @Nullable CurveClientConfig curve,
        DealerStateListener stateListener, boolean inlineQuickCalls) {

    int poolSize() {
        return Math.max(slots, maxConcurrent);
    }

    @Override
    public String toString() {
        return "DealerSettings[routerAddresses=" + routerAddresses + ", slots=" + slots + ", maxConcurrent=" + maxConcurrent
                + ", apiKey=" + (apiKey == null ? "none" : "set") + ", curve=" + (curve != null) + "]";
    }
}

package io.voidrail.boot.autoconfigure;

import io.voidrail.dealer.ServiceDealer;

/**
 * Customizes the builder of each dealer (one per service group) after {@code voidrail.dealer.*} has been applied.
 * Beans of this type are applied in {@link org.springframework.core.annotation.Order order}. The dealer's state
 * listener is set after them, to publish VoidRail's application events: listen to those instead.
 */
@FunctionalInterface
public interface VoidRailDealerCustomizer {

    /**
     * @param group   the service group the dealer serves, e.g. {@code EchoService}
     * @param builder the dealer's builder
     */
    void customize(String group, ServiceDealer.Builder builder);

}

package io.voidrail.boot.autoconfigure;

import io.voidrail.client.ClientDealer;

/**
 * Customizes the builder of the {@link io.voidrail.client.VoidRailClient} bean after {@code voidrail.client.*} has
 * been applied. Beans of this type are applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface VoidRailClientCustomizer {

    void customize(ClientDealer.Builder builder);

}

package io.voidrail.boot.autoconfigure;

import io.voidrail.router.ServiceRouter;

/**
 * Customizes the in-process router's builder after {@code voidrail.router.*} has been applied. Beans of this type
 * are applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface VoidRailRouterCustomizer {

    void customize(ServiceRouter.Builder builder);

}

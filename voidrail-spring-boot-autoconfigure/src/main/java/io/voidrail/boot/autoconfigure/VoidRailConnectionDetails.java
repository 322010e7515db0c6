package io.voidrail.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where this application's dealers and client find the router, and the key they send, as
 * {@code RabbitConnectionDetails} tells where the broker is. By default the {@code voidrail.*} properties say it
 * ({@code voidrail.router-address}, else the in-process router, else {@code tcp://127.0.0.1:5555};
 * {@code voidrail.api-key}); a bean of this type from a test or a platform replaces them.
 *
 * <pre>{@code
 * @Bean
 * VoidRailConnectionDetails voidRailConnectionDetails() {
 *     return () -> "tcp://" + router.host() + ":" + router.port();
 * }
 * }</pre>
 */
@FunctionalInterface
public interface VoidRailConnectionDetails extends ConnectionDetails {

    /** The router to connect to, e.g. {@code tcp://router.internal:5555}; asked when dealers and client start. */
    String getRouterAddress();

    /** The API key dealers and the client send; {@code null} when the router requires none. */
    default @Nullable String getApiKey() {
        return null;
    }

}

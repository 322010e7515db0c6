package io.voidrail.boot.web;

import org.springframework.web.ErrorResponse;

import io.voidrail.VoidRailException;

/**
 * Turns a {@link VoidRailException} thrown by a controller into the HTTP response: status, headers and RFC 9457
 * problem detail. A bean of this type replaces {@link DefaultVoidRailProblemDetailsMapper}, and may delegate to it
 * for the codes it leaves alone:
 *
 * <pre>{@code
 * @Bean
 * VoidRailProblemDetailsMapper problemDetails(VoidRailProperties properties) {
 *     VoidRailProblemDetailsMapper defaults = new DefaultVoidRailProblemDetailsMapper(properties);
 *     return (ex) -> (ex.code() == ErrorCode.NOT_FOUND)
 *             ? ErrorResponse.create(ex, HttpStatus.NOT_FOUND, "No such thing") : defaults.toErrorResponse(ex);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface VoidRailProblemDetailsMapper {

    ErrorResponse toErrorResponse(VoidRailException exception);

}

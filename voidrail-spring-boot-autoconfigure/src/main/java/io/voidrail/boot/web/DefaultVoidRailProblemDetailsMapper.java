package io.voidrail.boot.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;

import io.voidrail.VoidRailException;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.ErrorCode;

/**
 * The status of each error code, seen from the HTTP caller, who knows nothing of the bus behind the application:
 *
 * <table>
 * <caption>Status by VoidRail error code</caption>
 * <tr><th>Code</th><th>Status</th><th>Why</th></tr>
 * <tr><td>BAD_REQUEST</td><td>400</td><td>the arguments were refused; most often the caller's input, passed on</td></tr>
 * <tr><td>NOT_FOUND</td><td>502</td><td>no worker serves the method: a deployment problem behind this server, not
 * a missing HTTP resource (404) nor a permanent, cacheable 501</td></tr>
 * <tr><td>EXECUTION_ERROR</td><td>500</td><td>the work itself failed</td></tr>
 * <tr><td>UNAUTHENTICATED</td><td>500</td><td>the bus refused this application's key: its misconfiguration, not
 * the HTTP caller's credentials (a 401 would ask the caller to log in again)</td></tr>
 * <tr><td>DEADLINE_EXCEEDED</td><td>504</td><td>the work took longer than the call allows</td></tr>
 * <tr><td>DEALER_LOST</td><td>502</td><td>the worker went away in the middle of the call</td></tr>
 * <tr><td>QUEUE_FULL, OVERLOADED</td><td>503 + Retry-After</td><td>busy now, may work later</td></tr>
 * <tr><td>UNAVAILABLE</td><td>503 + Retry-After</td><td>the router cannot be reached</td></tr>
 * <tr><td>CANCELLED</td><td>503</td><td>cancelled on this side (shutdown, a closed stream); a caller that went away
 * reads no answer anyway</td></tr>
 * <tr><td>UNKNOWN</td><td>500</td><td></td></tr>
 * </table>
 *
 * <p>The problem detail carries the code as its {@code code} property. Its {@code detail} says what kind of failure
 * it was; the exception's own message, which may show a remote service's internals, only with
 * {@code voidrail.web.problem-details.include-message=true}.
 */
public class DefaultVoidRailProblemDetailsMapper implements VoidRailProblemDetailsMapper {

    private final boolean includeMessage;

    private final Duration retryAfter;

    public DefaultVoidRailProblemDetailsMapper(VoidRailProperties properties) {
        this(properties.getWeb().getProblemDetails().isIncludeMessage(),
                properties.getWeb().getProblemDetails().getRetryAfter());
    }

    public DefaultVoidRailProblemDetailsMapper(boolean includeMessage, Duration retryAfter) {
        this.includeMessage = includeMessage;
        this.retryAfter = retryAfter;
    }

    @Override
    public ErrorResponse toErrorResponse(VoidRailException exception) {
        ErrorCode code = exception.code();
        String message = exception.getMessage();
        ErrorResponse.Builder builder = ErrorResponse
            .builder(exception, status(code), (this.includeMessage && message != null) ? message : detail(code))
            .property("code", code.name());
        if (code == ErrorCode.QUEUE_FULL || code == ErrorCode.OVERLOADED || code == ErrorCode.UNAVAILABLE) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfter.toSeconds()));
        }
        return builder.build();
    }

    /** The status for a code, as the table above says. */
    public static HttpStatus status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND, DEALER_LOST -> HttpStatus.BAD_GATEWAY;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case QUEUE_FULL, OVERLOADED, UNAVAILABLE, CANCELLED -> HttpStatus.SERVICE_UNAVAILABLE;
            case EXECUTION_ERROR, UNAUTHENTICATED, UNKNOWN -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private static String detail(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> "The service refused the arguments of the request.";
            case NOT_FOUND -> "No service handles this request right now.";
            case EXECUTION_ERROR -> "The service failed while handling the request.";
            case UNAUTHENTICATED -> "The server could not authenticate with the service that handles the request.";
            case DEADLINE_EXCEEDED -> "The service did not answer in time.";
            case CANCELLED -> "The request was cancelled before it was answered.";
            case QUEUE_FULL, OVERLOADED -> "The service is busy; try again later.";
            case DEALER_LOST -> "The worker handling the request went away.";
            case UNAVAILABLE -> "The service cannot be reached; try again later.";
            case UNKNOWN -> "The request failed.";
        };
    }

}

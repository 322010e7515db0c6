package io.voidrail.boot.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.voidrail.VoidRailException;

/**
 * Answers a {@link VoidRailException} from an annotated controller (Spring MVC or WebFlux, also when it fails an
 * asynchronous result) with the problem detail the {@link VoidRailProblemDetailsMapper} makes. Ordered last: an
 * {@code @ExceptionHandler} of the controller or of the application's own advice wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class VoidRailExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(VoidRailExceptionHandler.class);

    private final VoidRailProblemDetailsMapper mapper;

    public VoidRailExceptionHandler(VoidRailProblemDetailsMapper mapper) {
        this.mapper = mapper;
    }

    @ExceptionHandler(VoidRailException.class)
    public ResponseEntity<ProblemDetail> handleVoidRailException(VoidRailException exception) {
        ErrorResponse response = this.mapper.toErrorResponse(exception);
        if (response.getStatusCode().is5xxServerError()) {
            // the response hides the message by default; the log keeps it for whoever runs the server
            log.warn("VoidRail call failed ({}): {}", exception.code(), exception.getMessage());
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(response.getBody());
    }

}

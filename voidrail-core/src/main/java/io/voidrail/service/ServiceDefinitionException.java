package io.voidrail.service;

/**
 * A service object cannot be served as written: found while scanning it, before any call. Examples: two methods
 * with the same public name, a malformed {@code params} or {@code metadata} entry, an annotated method that is
 * static or not public, or a class without any {@code @ServiceMethod} method.
 */
public class ServiceDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceDefinitionException(String message) {
        super(message);
    }

    public ServiceDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}

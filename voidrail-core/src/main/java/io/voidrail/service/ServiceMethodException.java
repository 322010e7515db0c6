package io.voidrail.service;

/**
 * A service method failed: it threw, or the stream it returned failed while being read or closed.
 * {@link #getCause()} is what the method threw (never an {@code InvocationTargetException}); the message is
 * the cause's message, or its class's simple name when it has none. Dealers answer it with
 * {@code EXECUTION_ERROR}.
 */
public class ServiceMethodException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceMethodException(Throwable cause) {
        super(messageOf(cause), cause);
    }

    public ServiceMethodException(String message, Throwable cause) {
        super(message, cause);
    }

    private static String messageOf(Throwable cause) {
        String message = cause.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }
}

package io.voidrail.service;

import org.jspecify.annotations.Nullable;

/**
 * The arguments of a call do not fit the method's parameters: a value of the wrong JSON type, a missing
 * argument, too many arguments or an unknown keyword. Dealers answer it with {@code BAD_REQUEST}.
 */
public class ArgumentBindingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String parameterName;

    public ArgumentBindingException(String message, @Nullable String parameterName) {
        this(message, parameterName, null);
    }

    public ArgumentBindingException(String message, @Nullable String parameterName, @Nullable Throwable cause) {
        super(message, cause);
        this.parameterName = parameterName;
    }

    /**
     * The parameter at fault, or the offending keyword for an unknown keyword argument; {@code null} when the
     * error is about the arguments as a whole (too many of them, {@code args} not a JSON array).
     */
    public @Nullable String parameterName() {
        return parameterName;
    }
}

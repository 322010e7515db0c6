package io.voidrail.internal.protocol;

import static io.voidrail.internal.protocol.Protocol.*;

import io.voidrail.ErrorCode;

/**
 * The error code a Python peer means by its text: Python routers and dealers send no {@code code} (PROTOCOL.md
 * sections 4 to 6), only the texts listed there. Used only for what a Python peer sent: by the client for a router
 * that does not announce {@code correlation}, by a Java router for a Python dealer's error; never for Java peers,
 * which send their code.
 */
public final class PythonErrors {

    private PythonErrors() {
    }

    public static ErrorCode codeOf(String text) {
        if (text.equals(NOT_AUTHENTICATED) || text.equals(AUTHENTICATION_FAILED) || text.equals(INVALID_AUTH_FORMAT)) {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (text.startsWith(METHOD_EXECUTION_ERROR)) {
            return ErrorCode.EXECUTION_ERROR;
        }
        if (text.startsWith("Method ") && text.endsWith(" not found")) {
            return ErrorCode.NOT_FOUND;
        }
        if (text.startsWith("No available service for method ")) {
            return ErrorCode.OVERLOADED;
        }
        return ErrorCode.UNKNOWN;
    }
}

package io.voidrail.event;

import java.util.Map;

/**
 * One call as a {@link CallListener} sees it.
 *
 * @param side    client or dealer
 * @param method  the public method name, e.g. {@code EchoService.echo}
 * @param headers the request's string headers; mutable on the client side (added to the request)
 */
public record CallEvent(Side side, String method, Map<String, String> headers) {

    public enum Side {
        CLIENT, DEALER
    }
}

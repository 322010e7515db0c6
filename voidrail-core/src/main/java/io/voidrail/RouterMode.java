package io.voidrail;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the router hands calls to dealers (PROTOCOL.md section 5): the router's setting, and part of its status. */
public enum RouterMode {
    /** Per-method queues at the router; a dealer gets a call only when one of its slots is free. */
    FIFO,
    /** No queue: each call goes at once to the least-loaded dealer below its {@code max_concurrent}. */
    LOAD_BALANCE;

    /** {@code "fifo"} or {@code "load_balance"}, as the protocol reports the mode. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fifo}, {@code load_balance} or {@code load-balance}, in any case. */
    public static RouterMode parse(String text) {
        String normal = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(normal);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Unknown router mode '" + text + "': use " + wireNames(), ex);
        }
    }

    /** The valid modes as the protocol names them: {@code fifo or load_balance}. */
    public static String wireNames() {
        return Arrays.stream(values()).map(RouterMode::wireName).collect(Collectors.joining(" or "));
    }
}

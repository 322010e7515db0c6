package io.voidrail.interop;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real identities for the placeholders of the recording ({@code <dealer-1>}, {@code <client-2>}, ...): a dealer is
 * {@code EchoService-} plus 8 lowercase hex, a client 32 lowercase hex (PROTOCOL.md section 1). A placeholder can
 * also be bound to the identity a Java peer chose itself.
 */
final class Identities {

    static final Pattern PLACEHOLDER = Pattern.compile("<(dealer|client)-\\d+>");
    static final Pattern DEALER_ID = Pattern.compile("EchoService-[0-9a-f]{8}");
    static final Pattern CLIENT_ID = Pattern.compile("[0-9a-f]{32}");

    private final Map<String, String> real = new LinkedHashMap<>();

    static String newDealerId() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "EchoService-" + HexFormat.of().formatHex(bytes);
    }

    static String newClientId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Uses this identity for the placeholder (a Java peer's own identity). */
    Identities bind(String placeholder, String identity) {
        String previous = real.putIfAbsent(placeholder, identity);
        if (previous != null && !previous.equals(identity)) {
            throw new IllegalStateException(placeholder + " is already " + previous);
        }
        return this;
    }

    /** The real identity of a placeholder, made up on first use. */
    String of(String placeholder) {
        return real.computeIfAbsent(placeholder,
                p -> p.startsWith("<dealer-") ? newDealerId() : newClientId());
    }

    /** Replaces every placeholder in a frame's text. */
    String apply(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(of(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    List<String> apply(List<String> frames) {
        return frames.stream().map(this::apply).toList();
    }
}

package io.voidrail.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation and small rewrites of ZeroMQ endpoints. */
public final class Addresses {

    private static final Pattern TCP = Pattern.compile("tcp://(.+):(\\d+|\\*)");

    private Addresses() {
    }

    /** Checks an endpoint early so a typo fails at configuration time with a clear message. */
    public static String validate(String address) {
        String value = address == null ? "" : address.strip();
        if (value.startsWith("ipc://") || value.startsWith("inproc://")) {
            if (value.indexOf("://") + 3 == value.length()) {
                throw new IllegalArgumentException("Invalid VoidRail address '" + address + "': the name is empty");
            }
            return value;
        }
        Matcher tcp = TCP.matcher(value);
        if (!tcp.matches()) {
            throw new IllegalArgumentException("Invalid VoidRail address '" + address
                    + "': expected tcp://host:port, ipc://path or inproc://name");
        }
        if (!tcp.group(2).equals("*") && Integer.parseInt(tcp.group(2)) > 65535) {
            throw new IllegalArgumentException("Invalid VoidRail address '" + address + "': port out of range");
        }
        return value;
    }

    /**
     * A list of endpoints, comma-separated ({@code tcp://a:5555,tcp://b:5555}), each validated; at least one, no
     * duplicates.
     */
    public static List<String> list(String addresses) {
        List<String> result = new ArrayList<>();
        for (String part : (addresses == null ? "" : addresses).split(",", -1)) {
            String address = validate(part);
            if (result.contains(address)) {
                throw new IllegalArgumentException("Router address " + address + " is listed twice in '" + addresses + "'");
            }
            result.add(address);
        }
        return List.copyOf(result);
    }

    /** Validates every endpoint of a list; at least one, no duplicates. */
    public static List<String> list(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("At least one router address is needed");
        }
        return list(String.join(",", addresses));
    }

    /** Port 0 means "any free port", which ZeroMQ spells {@code *}. */
    public static String forBind(String address) {
        Matcher tcp = TCP.matcher(address);
        return tcp.matches() && tcp.group(2).equals("0") ? "tcp://" + tcp.group(1) + ":*" : address;
    }

    /** The TCP port of an endpoint, or -1. */
    public static int port(String address) {
        Matcher tcp = TCP.matcher(address);
        return tcp.matches() && !tcp.group(2).equals("*") ? Integer.parseInt(tcp.group(2)) : -1;
    }
}

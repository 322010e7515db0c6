package io.voidrail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version, as the CLI's {@code -V} and the router's {@code router_info} report it. */
public final class VoidRailVersion {

    /** This build's version (e.g. {@code 0.1.0}), written by the build into {@code io/voidrail/version.properties}. */
    public static final String VERSION = buildVersion();

    /** What VoidRail for Java announces itself as to other peers (e.g. {@code voidrail-java/0.1.0}). */
    public static final String IMPLEMENTATION = "voidrail-java/" + VERSION;

    private VoidRailVersion() {
    }

    private static String buildVersion() {
        Properties properties = new Properties();
        try (InputStream in = VoidRailVersion.class.getResourceAsStream("/io/voidrail/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String version = properties.getProperty("version", "");
        // unfiltered (a build tool that skipped resource filtering) reads as unknown, not as "@project.version@"
        return version.isBlank() || version.startsWith("@") ? "unknown" : version;
    }
}

package io.voidrail.cli;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Option;

/**
 * {@code --logger-level}, applied to the SLF4J simple binding before any VoidRail class logs (the binding
 * reads its settings once, when the first logger is made).
 */
final class LoggingOptions {

    /** The original's level names; CRITICAL logs what ERROR does (SLF4J has nothing above ERROR). */
    enum Level {
        DEBUG, INFO, WARNING, ERROR, CRITICAL;

        String slf4jName() {
            return switch (this) {
                case WARNING -> "warn";
                case CRITICAL -> "error";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    @Option(names = "--logger-level", paramLabel = "LEVEL",
            description = "Log level: ${COMPLETION-CANDIDATES} (default: INFO for router, WARNING for client and dealer; DEBUG with --debug).")
    @Nullable Level level;

    /** Applies the chosen level, or {@code fallback}; returns the level in effect. */
    Level apply(Level fallback, boolean debug) {
        Level effective = level != null ? level : debug ? Level.DEBUG : fallback;
        System.setProperty(PREFIX + "defaultLogLevel", effective.slf4jName());
        setIfAbsent("showDateTime", "true");
        setIfAbsent("dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showShortLogName", "true");
        return effective;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}

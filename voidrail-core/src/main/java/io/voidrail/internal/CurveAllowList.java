package io.voidrail.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.internal.protocol.Frames;

/**
 * The public keys a CURVE router admits: its own, those given in code, and those of the {@code *.key}
 * certificates in a directory (pyzmq's {@code load_certificates} reads the same files). The directory is listed
 * at most once per reload period and re-read only when a file was added, removed or changed, so a flood of
 * handshakes never costs disk reads. Used by the ZAP thread only.
 */
public final class CurveAllowList {

    private final Logger log;
    private final @Nullable Path directory;
    private final Set<String> fixed;
    private final long periodNanos;
    /** File name -> last modified and size, as last read; {@code null} before the first read. */
    private @Nullable Map<String, String> listing;
    private Set<String> keys;
    private long nextCheckNanos;

    public CurveAllowList(CurveServerConfig config, Logger log, long nowNanos) {
        this.log = log;
        this.directory = config.allowList();
        Set<String> given = new HashSet<>(config.allowedKeys());
        given.add(config.keys().publicKey());
        this.fixed = Set.copyOf(given);
        this.periodNanos = config.reloadPeriod().toNanos();
        this.keys = fixed;
        refresh(nowNanos);
    }

    public boolean admits(String publicKey) {
        return keys.contains(publicKey);
    }

    public int size() {
        return keys.size();
    }

    /** When the directory is next looked at. */
    public long nextCheckNanos() {
        return nextCheckNanos;
    }

    /** Re-reads the directory if its period is over and it changed since the last read. */
    public void refreshIfDue(long nowNanos) {
        if (nowNanos - nextCheckNanos >= 0) {
            refresh(nowNanos);
        }
    }

    private void refresh(long nowNanos) {
        nextCheckNanos = nowNanos + periodNanos;
        if (directory == null) {
            return;
        }
        Map<String, String> current = list(directory);
        if (current.equals(listing)) {
            return;
        }
        boolean first = listing == null;
        listing = current;
        Set<String> loaded = new HashSet<>(fixed);
        for (String name : current.keySet()) {
            try {
                loaded.add(CurveKeys.loadPublicKey(directory.resolve(name)));
            }
            catch (IllegalArgumentException | UncheckedIOException ex) {
                log.warn("VoidRail router skipped the CURVE certificate {}: {}", Frames.forLog(name),
                        Frames.forLog(ex.getMessage()));
            }
        }
        keys = Set.copyOf(loaded);
        log.info("VoidRail router {} the CURVE allow-list {}: {} public key(s) admitted", first ? "read" : "re-read",
                directory, keys.size());
    }

    /** The {@code *.key} regular files of the directory with their modification time and size. */
    private Map<String, String> list(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            if (listing == null || !listing.isEmpty()) {
                log.warn("VoidRail router has no CURVE allow-list directory {}: only keys given in the configuration "
                        + "are admitted until it exists", dir);
            }
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + CurveKeys.PUBLIC_SUFFIX)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.put(entry.getFileName().toString(), attributes.lastModifiedTime().toMillis() + "/"
                            + attributes.size());
                }
            }
        }
        catch (IOException ex) {
            log.warn("VoidRail router cannot list the CURVE allow-list {}: {}", dir, ex.toString());
            return listing != null ? listing : files; // keep what was admitted rather than lock everyone out
        }
        return files;
    }
}

package io.voidrail.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.internal.protocol.Frames;

/**
 * The public keys a CURVE router admits, each with its {@link CurveRole}: its own and those given in code (any
 * role), and those of the {@code *.key} certificates in the any-role, dealer and client directories (pyzmq's
 * {@code load_certificates} reads the same files). A key on two lists has both roles. Each directory is listed at
 * most once per reload period and re-read only when a file was added, removed or changed, so a flood of handshakes
 * never costs disk reads. Used by the ZAP thread only.
 */
public final class CurveAllowList {

    private final Logger log;
    private final List<Directory> directories = new ArrayList<>();
    private final Set<String> fixed;
    private final long periodNanos;
    private Map<String, CurveRole> roles = Map.of();
    private long nextCheckNanos;

    /** One allow-list directory and what was last read from it. */
    private static final class Directory {

        final Path path;
        final CurveRole role;
        /** File name -> last modified and size, as last read; {@code null} before the first read. */
        @Nullable Map<String, String> listing;
        Set<String> keys = Set.of();

        Directory(Path path, CurveRole role) {
            this.path = path;
            this.role = role;
        }

        String describe() {
            return role == CurveRole.ANY ? path.toString() : path + " (" + role.name().toLowerCase() + "s only)";
        }
    }

    public CurveAllowList(CurveServerConfig config, Logger log, long nowNanos) {
        this.log = log;
        Set<String> given = new HashSet<>(config.allowedKeys());
        given.add(config.keys().publicKey());
        this.fixed = Set.copyOf(given);
        this.periodNanos = config.reloadPeriod().toNanos();
        add(config.allowList(), CurveRole.ANY);
        add(config.dealerAllowList(), CurveRole.DEALER);
        add(config.clientAllowList(), CurveRole.CLIENT);
        merge();
        refresh(nowNanos);
    }

    private void add(@Nullable Path path, CurveRole role) {
        if (path != null) {
            directories.add(new Directory(path, role));
        }
    }

    public boolean admits(String publicKey) {
        return roles.containsKey(publicKey);
    }

    /** What the key may do; {@code null} when it is on no list. */
    public @Nullable CurveRole roleOf(String publicKey) {
        return roles.get(publicKey);
    }

    public int size() {
        return roles.size();
    }

    /** When the directories are next looked at. */
    public long nextCheckNanos() {
        return nextCheckNanos;
    }

    /** Re-reads the directories if the period is over and they changed since the last read. */
    public void refreshIfDue(long nowNanos) {
        if (nowNanos - nextCheckNanos >= 0) {
            refresh(nowNanos);
        }
    }

    private void refresh(long nowNanos) {
        nextCheckNanos = nowNanos + periodNanos;
        boolean changed = false;
        for (Directory directory : directories) {
            changed |= reread(directory);
        }
        if (changed) {
            merge();
        }
    }

    /** Reads the directory again if it changed; returns whether it did. */
    private boolean reread(Directory directory) {
        Map<String, String> current = list(directory);
        if (current.equals(directory.listing)) {
            return false;
        }
        boolean first = directory.listing == null;
        directory.listing = current;
        Set<String> loaded = new HashSet<>();
        for (String name : current.keySet()) {
            try {
                loaded.add(CurveKeys.loadPublicKey(directory.path.resolve(name)));
            }
            catch (IllegalArgumentException | UncheckedIOException ex) {
                log.warn("VoidRail router skipped the CURVE certificate {}: {}", Frames.forLog(name),
                        Frames.forLog(ex.getMessage()));
            }
        }
        directory.keys = Set.copyOf(loaded);
        log.info("VoidRail router {} the CURVE allow-list {}: {} public key(s)", first ? "read" : "re-read",
                directory.describe(), loaded.size());
        return true;
    }

    private void merge() {
        Map<String, CurveRole> merged = new HashMap<>();
        fixed.forEach(key -> merged.put(key, CurveRole.ANY));
        for (Directory directory : directories) {
            directory.keys.forEach(key -> merged.merge(key, directory.role, CurveRole::and));
        }
        roles = Map.copyOf(merged);
    }

    /** The {@code *.key} regular files of the directory with their modification time and size. */
    private Map<String, String> list(Directory directory) {
        Path dir = directory.path;
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            if (directory.listing == null || !directory.listing.isEmpty()) {
                log.warn("VoidRail router has no CURVE allow-list directory {}: its keys are not admitted until it "
                        + "exists", directory.describe());
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
            // keep what was admitted rather than lock everyone out
            return directory.listing != null ? directory.listing : files;
        }
        return files;
    }
}

package io.voidrail.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/** The page's files, read once from the jar: its own, and uPlot's from the WebJar. */
public final class StaticFiles {

    /** A file of the page. */
    public record File(String contentType, byte[] body) {
    }

    private static final String OWN = "io/voidrail/dashboard/static/";

    private final Map<String, File> files;

    public StaticFiles() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        this.files = Map.of(
                "index.html", load(OWN + "index.html", "text/html; charset=utf-8"),
                "dashboard.css", load(OWN + "dashboard.css", "text/css; charset=utf-8"),
                "dashboard.js", load(OWN + "dashboard.js", "text/javascript; charset=utf-8"),
                "uplot.min.js", load(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "uplot.min.css", load(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    public @Nullable File get(String name) {
        return files.get(name);
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = open("io/voidrail/dashboard/dashboard.properties")) {
            properties.load(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return properties.getProperty("uplot.version");
    }

    private static File load(String path, String contentType) {
        try (InputStream in = open(path)) {
            return new File(contentType, in.readAllBytes());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + path + " from the voidrail-dashboard jar", ex);
        }
    }

    private static InputStream open(String path) throws IOException {
        InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("Missing " + path + " on the class path (is the uplot WebJar there?)");
        }
        return in;
    }
}

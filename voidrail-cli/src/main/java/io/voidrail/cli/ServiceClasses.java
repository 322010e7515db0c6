package io.voidrail.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.VoidRailService;

/**
 * Finds and makes the service objects a dealer serves: classes named with {@code --class}, or the one
 * {@code @VoidRailService} class found by scanning {@code --classpath} entries (jars and directories)
 * under {@code --package}. Plain classpath scanning: classes are loaded without being initialised.
 */
final class ServiceClasses {

    private final List<Path> entries;
    private final ClassLoader loader;

    private ServiceClasses(List<Path> entries, ClassLoader loader) {
        this.entries = entries;
        this.loader = loader;
    }

    /**
     * A loader over the given jars and directories, in front of the command's own classpath (which holds
     * voidrail-core, so annotations are the same classes for the service and for the dealer).
     */
    static ServiceClasses over(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                throw CliException.usage("Classpath entry not found: " + entry);
            }
            try {
                urls.add(entry.toAbsolutePath().toUri().toURL());
            }
            catch (MalformedURLException ex) {
                throw CliException.usage("Classpath entry is not usable: " + entry + " (" + ex.getMessage() + ")");
            }
        }
        ClassLoader parent = ServiceClasses.class.getClassLoader();
        ClassLoader loader = urls.isEmpty() ? parent : new URLClassLoader("voidrail-services", urls.toArray(URL[]::new), parent);
        return new ServiceClasses(List.copyOf(classpath), loader);
    }

    /** The named classes, or the single {@code @VoidRailService} class found under {@code packageName}. */
    List<Class<?>> resolve(List<String> classNames, @Nullable String packageName) {
        if (!classNames.isEmpty()) {
            return classNames.stream().<Class<?>>map(this::load).toList();
        }
        if (packageName == null && entries.isEmpty()) {
            throw CliException.usage("No service class: give --class FQCN, or --package/--classpath to look for a "
                    + "@VoidRailService class");
        }
        List<Class<?>> found = scan(packageName);
        String where = (packageName != null ? "package " + packageName : "all packages") + " of "
                + (entries.isEmpty() ? "the voidrail classpath" : entries.stream().map(Path::toString).toList());
        if (found.isEmpty()) {
            throw CliException.usage("No @VoidRailService class in " + where);
        }
        if (found.size() > 1) {
            throw CliException.usage("Several @VoidRailService classes in " + where + "; pick one or more with --class: "
                    + String.join(", ", found.stream().map(Class::getName).toList()));
        }
        return found;
    }

    /** Rejects a class that {@link #instantiate} could not make, without making one (it may be costly). */
    static void checkServable(Class<?> type) {
        int modifiers = type.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers) || type.isInterface()
                || (type.getEnclosingClass() != null && !Modifier.isStatic(modifiers))) {
            throw CliException.usage(type.getName() + " cannot be served: it must be a public, concrete, top-level "
                    + "or static nested class");
        }
        try {
            type.getConstructor();
        }
        catch (NoSuchMethodException ex) {
            throw CliException.usage(type.getName() + " needs a public no-argument constructor to be served by "
                    + "voidrail dealer");
        }
    }

    /** A new service object through the public no-argument constructor. */
    static Object instantiate(Class<?> type) {
        checkServable(type);
        try {
            return type.getConstructor().newInstance();
        }
        catch (InvocationTargetException ex) {
            throw new CliException(CliException.FAILED, "Creating " + type.getName() + " failed: " + ex.getCause(),
                    ex.getCause());
        }
        catch (ReflectiveOperationException ex) {
            throw new CliException(CliException.FAILED, "Creating " + type.getName() + " failed: " + ex, ex);
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        }
        catch (ClassNotFoundException ex) {
            throw CliException.usage("Service class " + name + " not found"
                    + (entries.isEmpty() ? " (add its jar or classes directory with --classpath)" : " in " + entries));
        }
        catch (LinkageError ex) {
            throw CliException.usage("Service class " + name + " cannot be loaded: " + ex);
        }
    }

    private List<Class<?>> scan(@Nullable String packageName) {
        List<Path> roots = entries.isEmpty() ? commandClasspath() : entries;
        String prefix = packageName == null ? "" : packageName.replace('.', '/') + "/";
        TreeSet<String> names = new TreeSet<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                names.addAll(classesInDirectory(root, prefix));
            }
            else if (Files.isRegularFile(root)) {
                names.addAll(classesInJar(root, prefix));
            }
        }
        List<Class<?>> services = new ArrayList<>();
        for (String name : names) {
            Class<?> type = loadQuietly(name);
            if (type != null && type.isAnnotationPresent(VoidRailService.class) && !type.isInterface()
                    && !Modifier.isAbstract(type.getModifiers())) {
                services.add(type);
            }
        }
        return services;
    }

    private @Nullable Class<?> loadQuietly(String name) {
        try {
            return Class.forName(name, false, loader);
        }
        catch (ClassNotFoundException | LinkageError ex) {
            // a class whose dependencies are missing cannot be a service we could run anyway
            return null;
        }
    }

    private static List<Path> commandClasspath() {
        return Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
    }

    private static List<String> classesInDirectory(Path root, String prefix) {
        Path start = root.resolve(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace(File.separatorChar, '/'))
                    .filter(ServiceClasses::isCandidate).map(ServiceClasses::className).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + start, ex);
        }
    }

    private static List<String> classesInJar(Path jar, String prefix) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> all = file.entries();
            while (all.hasMoreElements()) {
                String path = all.nextElement().getName();
                if (path.startsWith(prefix) && isCandidate(path)) {
                    names.add(className(path));
                }
            }
        }
        catch (IOException ex) {
            throw CliException.usage("Cannot read the jar " + jar + ": " + ex.getMessage());
        }
        return names;
    }

    /** A class file that could be a service: not module or package info, not an anonymous class. */
    private static boolean isCandidate(String path) {
        return path.endsWith(".class") && !path.endsWith("module-info.class") && !path.endsWith("package-info.class")
                && !path.startsWith("META-INF/") && !path.matches(".*\\$[0-9].*");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}

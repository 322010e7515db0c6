package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.cli.fixtures.broken.ConfiguredService;
import io.voidrail.cli.fixtures.one.GreeterApi;
import io.voidrail.cli.fixtures.one.GreeterService;
import io.voidrail.cli.fixtures.one.Greetings;

/** Finding service classes in real class directories and jars. */
class ServiceClassesTests {

    private static final Path TEST_CLASSES = testClasses();

    @Test
    void findsTheOneServiceClassOfAPackageInADirectory() {
        List<Class<?>> found = ServiceClasses.over(List.of(TEST_CLASSES)).resolve(List.of(), "io.voidrail.cli.fixtures.one");

        // the annotated interface and the plain class next to it are not services
        assertThat(found).extracting(Class::getName).containsExactly(GreeterService.class.getName());
    }

    @Test
    void findsTheServiceClassInAJarWithoutAPackage(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("greeter.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> type : List.of(GreeterService.class, GreeterApi.class, Greetings.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                Files.copy(TEST_CLASSES.resolve(entry), out);
                out.closeEntry();
            }
        }

        List<Class<?>> found = ServiceClasses.over(List.of(jar)).resolve(List.of(), null);

        assertThat(found).extracting(Class::getName).containsExactly(GreeterService.class.getName());
    }

    @Test
    void severalServiceClassesAreAnErrorThatListsThem() {
        assertThatThrownBy(() -> ServiceClasses.over(List.of(TEST_CLASSES)).resolve(List.of(), "io.voidrail.cli.fixtures.two"))
                .isInstanceOfSatisfying(CliException.class, ex -> assertThat(ex.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessageContaining("io.voidrail.cli.fixtures.two.AlphaService, io.voidrail.cli.fixtures.two.BetaService")
                .hasMessageContaining("--class");
    }

    @Test
    void aNamedClassIsLoadedFromTheClasspathEntries() {
        List<Class<?>> found = ServiceClasses.over(List.of(TEST_CLASSES))
                .resolve(List.of("io.voidrail.cli.fixtures.two.BetaService", "io.voidrail.cli.fixtures.two.AlphaService"), null);

        assertThat(found).extracting(Class::getSimpleName).containsExactly("BetaService", "AlphaService");
    }

    @Test
    void aClassWithoutANoArgumentConstructorIsRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> ServiceClasses.checkServable(ConfiguredService.class))
                .isInstanceOfSatisfying(CliException.class, ex -> assertThat(ex.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessage(ConfiguredService.class.getName() + " needs a public no-argument constructor to be served by "
                        + "voidrail dealer");
    }

    @Test
    void makesTheServiceObject() {
        assertThat(ServiceClasses.instantiate(GreeterService.class)).isInstanceOf(GreeterService.class);
    }

    private static Path testClasses() {
        try {
            return Path.of(GreeterService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

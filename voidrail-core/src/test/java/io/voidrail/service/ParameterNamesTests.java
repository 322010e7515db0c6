package io.voidrail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.codec.JsonCodec;

/** Classes compiled without {@code -parameters}: positional binding works, keyword binding says why it cannot. */
class ParameterNamesTests {

    private final JsonCodec codec = JsonCodec.defaults();

    @TempDir
    Path dir;

    private Object compileWithoutParameterNames(String className, String body) throws Exception {
        Path source = dir.resolve("src/nonames/" + className + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package nonames;\nimport io.voidrail.annotation.ServiceMethod;\npublic class "
                + className + " {\n" + body + "\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String annotations = Path.of(ServiceMethod.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        int status = javac.run(null, null, null, "-proc:none", "-cp", annotations, "-d", classes.toString(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                ParameterNamesTests.class.getClassLoader());
        return loader.loadClass("nonames." + className).getConstructor().newInstance();
    }

    @Test
    void positionalArgumentsBindAndKeywordArgumentsFailClearly() throws Exception {
        Object calc = compileWithoutParameterNames("Calc",
                "@ServiceMethod public int sub(int a, int b) { return a - b; }");
        MethodHandler sub = ServiceDefinition.of(calc).find("sub");
        assertThat(sub.params()).containsExactly(Map.entry("arg0", "int"), Map.entry("arg1", "int"));

        Invocation result = sub.invoke(codec.read("[5, 3]".getBytes(StandardCharsets.UTF_8)), null, codec);
        assertThat(result).isEqualTo(new Invocation.Value(2));

        assertThatExceptionOfType(ArgumentBindingException.class)
                .isThrownBy(() -> sub.invoke(null, codec.read("{\"a\": 5, \"b\": 3}".getBytes(StandardCharsets.UTF_8)),
                        codec))
                .withMessageContaining("keyword argument 'a'")
                .withMessageContaining("-parameters")
                .satisfies(ex -> assertThat(ex.parameterName()).isEqualTo("a"));
        // a kwarg spelled like the synthetic name is not taken either
        assertThatExceptionOfType(ArgumentBindingException.class)
                .isThrownBy(() -> sub.invoke(null, codec.read("{\"arg0\": 5, \"arg1\": 3}".getBytes(StandardCharsets.UTF_8)),
                        codec))
                .withMessageContaining("-parameters");
    }

    @Test
    void describingAParameterByNameSaysTheNamesAreUnknown() throws Exception {
        Object calc = compileWithoutParameterNames("Described",
                "@ServiceMethod(params = \"a: first\") public int neg(int a) { return -a; }");
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(calc))
                .withMessageContaining("'a: first'")
                .withMessageContaining("[arg0]")
                .withMessageContaining("-parameters");
    }

    @Test
    void theBuildCompilesWithParameterNames() {
        // the whole keyword-argument story relies on it; this fails loudly if the build stops passing -parameters
        assertThat(List.of(ParameterNamesTests.class.getDeclaredMethods()))
                .filteredOn(m -> m.getName().equals("compileWithoutParameterNames"))
                .singleElement()
                .satisfies(m -> assertThat(m.getParameters()[0].isNamePresent()).isTrue());
    }
}

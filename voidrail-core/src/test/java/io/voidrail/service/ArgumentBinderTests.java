package io.voidrail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.type.TypeBindings;
import tools.jackson.databind.type.TypeFactory;

/** The binder on its own: JSON args and kwargs in, Java arguments (or an error naming the parameter) out. */
class ArgumentBinderTests {

    private final JsonCodec codec = JsonCodec.defaults();

    @SuppressWarnings("unused")
    static class Shapes {

        public String scale(String label, int factor, Optional<Double> offset) {
            return label;
        }

        public int sum(List<Integer> values) {
            return 0;
        }
    }

    private static ArgumentBinder binder(String name) throws Exception {
        for (Method method : Shapes.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return ArgumentBinder.of("Shapes." + name, method, method.getParameters(),
                        TypeBindings.emptyBindings(), TypeFactory.createDefaultInstance());
            }
        }
        throw new IllegalArgumentException(name);
    }

    private @Nullable Object[] bind(String method, @Nullable String args, @Nullable String kwargs) throws Exception {
        return binder(method).bind(json(args), json(kwargs), codec);
    }

    private @Nullable JsonNode json(@Nullable String text) {
        return text == null ? null : codec.readOrNull(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void describesTheParametersInDeclarationOrder() throws Exception {
        ArgumentBinder binder = binder("scale");
        assertThat(binder.parameterNamesPresent()).isTrue();
        assertThat(binder.parameters()).extracting(ArgumentBinder.Param::name, ArgumentBinder.Param::typeName)
                .containsExactly(tuple("label", "String"),
                        tuple("factor", "int"),
                        tuple("offset", "Optional<Double>"));
    }

    @Test
    void bindsByPosition() throws Exception {
        assertThat(bind("scale", "[\"a\", 3, 1.5]", null)).containsExactly("a", 3, Optional.of(1.5));
        assertThat(bind("sum", "[[1, 2, 3]]", null)).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void bindsByKeywordInAnyOrder() throws Exception {
        assertThat(bind("scale", null, "{\"factor\": 2, \"offset\": 0.5, \"label\": \"b\"}"))
                .containsExactly("b", 2, Optional.of(0.5));
    }

    @Test
    void mixesPositionalAndKeywordArguments() throws Exception {
        assertThat(bind("scale", "[\"c\"]", "{\"factor\": 4}")).containsExactly("c", 4, Optional.empty());
        assertThat(bind("scale", "[]", "{\"label\": \"d\", \"factor\": 5}")).containsExactly("d", 5, Optional.empty());
    }

    @Test
    void aMissingRequiredArgumentNamesItsParameter() {
        assertThatThrownBy(() -> bind("scale", "[\"e\"]", null)).isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Missing argument for parameter 'factor' of Shapes.scale")
                .extracting(ex -> ((ArgumentBindingException) ex).parameterName()).isEqualTo("factor");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsParameterAndTheExpectedType() {
        assertThatThrownBy(() -> bind("scale", "[\"f\", \"5\"]", null)).isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Invalid value for parameter 'factor' of Shapes.scale: expected int but got \"5\"")
                .extracting(ex -> ((ArgumentBindingException) ex).parameterName()).isEqualTo("factor");
        assertThatThrownBy(() -> bind("sum", "[[1, \"x\"]]", null))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessageStartingWith("Invalid value for parameter 'values' of Shapes.sum: expected List<Integer>"
                        + " but got [1,\"x\"] (")
                .hasCauseInstanceOf(RuntimeException.class);
    }

    @Test
    void extraArgumentsAreRefused() {
        assertThatThrownBy(() -> bind("scale", "[\"g\", 1, 2.0, 3]", null))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Too many arguments for Shapes.scale: expected 3, got 4")
                .extracting(ex -> ((ArgumentBindingException) ex).parameterName()).isNull();
        assertThatThrownBy(() -> bind("scale", "[\"g\", 1]", "{\"scale\": 2}"))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Unknown keyword argument 'scale' for Shapes.scale")
                .extracting(ex -> ((ArgumentBindingException) ex).parameterName()).isEqualTo("scale");
        assertThatThrownBy(() -> bind("scale", "[\"g\", 1]", "{\"factor\": 2}"))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Multiple values for parameter 'factor' of Shapes.scale");
    }

    @Test
    void argumentsOfTheWrongJsonShapeAreRefused() {
        assertThatThrownBy(() -> bind("scale", "{\"label\": \"h\"}", null))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Positional arguments of Shapes.scale must be a JSON array, got {\"label\":\"h\"}");
        assertThatThrownBy(() -> bind("scale", null, "[1]")).isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Keyword arguments of Shapes.scale must be a JSON object, got [1]");
    }

    @Test
    void jsonNullForAnOptionalIsEmptyAndForAPrimitiveIsRefused() throws Exception {
        assertThat(bind("scale", "[\"i\", 1, null]", null)).containsExactly("i", 1, Optional.empty());
        assertThatThrownBy(() -> bind("scale", "[\"i\", null]", null)).isInstanceOf(ArgumentBindingException.class)
                .hasMessage("Invalid value for parameter 'factor' of Shapes.scale: expected int but got null");
    }
}

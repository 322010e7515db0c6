package io.voidrail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

class ArgumentBindingTests {

    private final JsonCodec codec = JsonCodec.defaults();

    private final EchoService service = new EchoService();

    private final ServiceDefinition definition = ServiceDefinition.of(service);

    public record Point(int x, int y) {
    }

    public enum Color {
        RED, GREEN
    }

    public static class Person {

        private String name = "";

        private int age;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getAge() {
            return age;
        }

        public void setAge(int age) {
            this.age = age;
        }
    }

    static class EchoService {

        final List<String> calls = new ArrayList<>();

        @ServiceMethod
        public int add(int a, int b) {
            calls.add("add");
            return a + b;
        }

        @ServiceMethod
        public String concat(String first, String second) {
            return first + second;
        }

        @ServiceMethod
        public String none() {
            return "none";
        }

        @ServiceMethod
        public long big(long value) {
            return value;
        }

        @ServiceMethod
        public double scale(double value, float factor) {
            return value * factor;
        }

        @ServiceMethod
        public boolean negate(boolean flag) {
            return !flag;
        }

        @ServiceMethod
        public @Nullable Integer boxed(@Nullable Integer value) {
            return value;
        }

        @ServiceMethod
        public Point move(Point point, int dx) {
            return new Point(point.x() + dx, point.y());
        }

        @ServiceMethod
        public String greet(Person person) {
            return person.getName() + " is " + person.getAge();
        }

        @ServiceMethod
        public int sumX(List<Point> points) {
            return points.stream().mapToInt(Point::x).sum();
        }

        @ServiceMethod
        public int total(Map<String, Integer> counts) {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        @ServiceMethod
        public String maybe(String text, Optional<Integer> times) {
            return times.isPresent() ? text.repeat(times.get()) : "absent:" + text;
        }

        @ServiceMethod
        public String maybeInt(OptionalInt value) {
            return value.isPresent() ? "int:" + value.getAsInt() : "empty";
        }

        @ServiceMethod
        public String paint(Color color) {
            return color.name().toLowerCase();
        }

        @ServiceMethod
        public String dates(LocalDate day, Instant at) {
            return day.plusDays(1) + "|" + at.getEpochSecond();
        }

        @ServiceMethod
        public int length(byte[] data) {
            return data.length + data[0];
        }

        @ServiceMethod
        public String raw(JsonNode node) {
            return node.getNodeType().name();
        }
    }

    private JsonNode json(String text) {
        return codec.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private @Nullable Object call(String method, @Nullable String args, @Nullable String kwargs) {
        MethodHandler handler = definition.find(method);
        assertThat(handler).as(method).isNotNull();
        Invocation invocation = handler.invoke(args == null ? null : json(args), kwargs == null ? null : json(kwargs),
                codec);
        assertThat(invocation).isInstanceOf(Invocation.Value.class);
        return ((Invocation.Value) invocation).value();
    }

    private ArgumentBindingException bindingError(String method, @Nullable String args, @Nullable String kwargs) {
        MethodHandler handler = definition.find(method);
        return assertThrows(ArgumentBindingException.class,
                () -> handler.invoke(args == null ? null : json(args), kwargs == null ? null : json(kwargs), codec));
    }

    @Test
    void bindsPositionalArguments() {
        assertThat(call("add", "[5, 3]", "{}")).isEqualTo(8);
        assertThat(call("concat", "[\"a\", \"b\"]", null)).isEqualTo("ab");
    }

    @Test
    void bindsKeywordArgumentsByParameterName() {
        assertThat(call("concat", "[]", "{\"second\": \"b\", \"first\": \"a\"}")).isEqualTo("ab");
    }

    @Test
    void bindsPositionalAndKeywordArgumentsMixed() {
        assertThat(call("concat", "[\"a\"]", "{\"second\": \"b\"}")).isEqualTo("ab");
    }

    @Test
    void absentOrNullArgsAndKwargsMeanNone() {
        assertThat(call("none", null, null)).isEqualTo("none");
        assertThat(call("none", "null", "null")).isEqualTo("none");
        assertThat(call("none", "[]", "{}")).isEqualTo("none");
    }

    @Test
    void bindsScalars() {
        assertThat(call("big", "[9007199254740993]", null)).isEqualTo(9007199254740993L);
        assertThat(call("negate", "[true]", null)).isEqualTo(false);
        assertThat(call("boxed", "[7]", null)).isEqualTo(7);
        assertThat(call("boxed", "[null]", null)).isNull();
    }

    @Test
    void integralAndFractionalNumbersBindToFloatingPointParameters() {
        assertThat(call("scale", "[3, 2]", null)).isEqualTo(6.0);
        assertThat((double) call("scale", "[0.2, 0.5]", null)).isCloseTo(0.1, within(1e-9));
        assertThat((double) call("scale", "[NaN, 1]", null)).isNaN();
    }

    @Test
    void bindsRecords() {
        assertThat(call("move", "[{\"x\": 1, \"y\": 2}, 10]", null)).isEqualTo(new Point(11, 2));
    }

    @Test
    void bindsPojos() {
        assertThat(call("greet", "[{\"name\": \"Ada\", \"age\": 36}]", null)).isEqualTo("Ada is 36");
    }

    @Test
    void bindsListsOfRecords() {
        assertThat(call("sumX", "[[{\"x\": 1, \"y\": 0}, {\"x\": 2, \"y\": 0}]]", null)).isEqualTo(3);
    }

    @Test
    void bindsMaps() {
        assertThat(call("total", "[]", "{\"counts\": {\"a\": 2, \"b\": 5}}")).isEqualTo(7);
    }

    @Test
    void bindsOptionalsPresentAbsentAndNull() {
        assertThat(call("maybe", "[\"ab\", 2]", null)).isEqualTo("abab");
        assertThat(call("maybe", "[\"ab\"]", null)).isEqualTo("absent:ab");
        assertThat(call("maybe", "[\"ab\", null]", null)).isEqualTo("absent:ab");
        assertThat(call("maybeInt", "[4]", null)).isEqualTo("int:4");
        assertThat(call("maybeInt", "[]", null)).isEqualTo("empty");
    }

    @Test
    void bindsEnums() {
        assertThat(call("paint", "[\"GREEN\"]", null)).isEqualTo("green");
    }

    @Test
    void bindsJavaTimeFromIsoStrings() {
        assertThat(call("dates", "[\"2024-02-28\", \"1970-01-01T00:01:40Z\"]", null)).isEqualTo("2024-02-29|100");
    }

    @Test
    void bindsByteArraysFromBase64() {
        // "AQID" is base64 for {1, 2, 3}
        assertThat(call("length", "[\"AQID\"]", null)).isEqualTo(4);
    }

    @Test
    void bindsJsonNodesAsTheyCame() {
        assertThat(call("raw", "[{\"a\": 1}]", null)).isEqualTo("OBJECT");
        assertThat(call("raw", "[null]", null)).isEqualTo("NULL");
    }

    @Test
    void aStringForAnIntIsRejectedNamingTheParameter() {
        ArgumentBindingException ex = bindingError("add", "[\"x\", 3]", null);
        assertThat(ex).hasMessage("Invalid value for parameter 'a' of EchoService.add: expected int but got \"x\"");
        assertThat(ex.parameterName()).isEqualTo("a");

        assertThat(bindingError("add", "[1, \"5\"]", null))
                .hasMessage("Invalid value for parameter 'b' of EchoService.add: expected int but got \"5\"");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void numbersThatAreNotIntsAreRejectedForInts() {
        assertThat(bindingError("add", "[1.5, 2]", null).getMessage()).endsWith("expected int but got 1.5");
        assertThat(bindingError("add", "[true, 2]", null).getMessage()).endsWith("expected int but got true");
        assertThat(bindingError("add", "[3000000000, 2]", null).getMessage())
                .endsWith("expected int but got 3000000000");
    }

    @Test
    void nullForAPrimitiveIsRejected() {
        ArgumentBindingException ex = bindingError("add", "[null, 2]", null);
        assertThat(ex).hasMessage("Invalid value for parameter 'a' of EchoService.add: expected int but got null");
        assertThat(ex.parameterName()).isEqualTo("a");
    }

    @Test
    void nonStringsForAStringAreRejected() {
        assertThat(bindingError("concat", "[5, \"b\"]", null))
                .hasMessage("Invalid value for parameter 'first' of EchoService.concat: expected String but got 5");
        assertThat(bindingError("concat", "[\"a\", false]", null).parameterName()).isEqualTo("second");
        assertThat(bindingError("concat", "[\"a\"]", "{\"second\": {\"k\": 1}}").getMessage())
                .endsWith("expected String but got {\"k\":1}");
    }

    @Test
    void otherScalarMismatchesAreRejected() {
        assertThat(bindingError("negate", "[\"true\"]", null).getMessage()).endsWith("expected boolean but got \"true\"");
        assertThat(bindingError("scale", "[\"1.5\", 1]", null).parameterName()).isEqualTo("value");
        assertThat(bindingError("big", "[\"12\"]", null).parameterName()).isEqualTo("value");
        assertThat(bindingError("boxed", "[\"7\"]", null).getMessage()).endsWith("expected Integer but got \"7\"");
        assertThat(bindingError("maybe", "[\"ab\", \"2\"]", null).getMessage())
                .endsWith("expected Optional<Integer> but got \"2\"");
        assertThat(bindingError("paint", "[0]", null).getMessage()).endsWith("expected Color but got 0");
    }

    @Test
    void jacksonFailuresBecomeBindingErrorsNamingTheParameter() {
        ArgumentBindingException unknownConstant = bindingError("paint", "[\"PURPLE\"]", null);
        assertThat(unknownConstant.parameterName()).isEqualTo("color");
        assertThat(unknownConstant.getMessage())
                .startsWith("Invalid value for parameter 'color' of EchoService.paint: expected Color but got \"PURPLE\" (")
                .contains("PURPLE");

        ArgumentBindingException badRecord = bindingError("move", "[{\"x\": \"one\", \"y\": 2}, 1]", null);
        assertThat(badRecord.parameterName()).isEqualTo("point");
        assertThat(badRecord.getMessage()).startsWith("Invalid value for parameter 'point' of EchoService.move");

        assertThat(bindingError("sumX", "[{\"x\": 1}]", null).parameterName()).isEqualTo("points");
        assertThat(bindingError("dates", "[\"yesterday\", \"1970-01-01T00:00:00Z\"]", null).parameterName())
                .isEqualTo("day");
    }

    @Test
    void missingArgumentsAreRejected() {
        ArgumentBindingException ex = bindingError("add", "[5]", null);
        assertThat(ex).hasMessage("Missing argument for parameter 'b' of EchoService.add");
        assertThat(ex.parameterName()).isEqualTo("b");
        assertThat(bindingError("greet", "[]", null))
                .hasMessage("Missing argument for parameter 'person' of EchoService.greet");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void tooManyArgumentsAreRejected() {
        ArgumentBindingException ex = bindingError("add", "[1, 2, 3]", null);
        assertThat(ex).hasMessage("Too many arguments for EchoService.add: expected 2, got 3");
        assertThat(ex.parameterName()).isNull();
    }

    @Test
    void unknownKeywordArgumentsAreRejected() {
        ArgumentBindingException ex = bindingError("add", "[1, 2]", "{\"z\": 3}");
        assertThat(ex).hasMessage("Unknown keyword argument 'z' for EchoService.add");
        assertThat(ex.parameterName()).isEqualTo("z");
    }

    @Test
    void anArgumentGivenTwiceIsRejected() {
        ArgumentBindingException ex = bindingError("add", "[1]", "{\"a\": 2, \"b\": 3}");
        assertThat(ex).hasMessage("Multiple values for parameter 'a' of EchoService.add");
        assertThat(ex.parameterName()).isEqualTo("a");
    }

    @Test
    void argsAndKwargsOfTheWrongShapeAreRejected() {
        assertThat(bindingError("add", "{\"a\": 1}", null).getMessage())
                .isEqualTo("Positional arguments of EchoService.add must be a JSON array, got {\"a\":1}");
        assertThat(bindingError("add", "[1, 2]", "[3]").getMessage())
                .isEqualTo("Keyword arguments of EchoService.add must be a JSON object, got [3]");
    }
}

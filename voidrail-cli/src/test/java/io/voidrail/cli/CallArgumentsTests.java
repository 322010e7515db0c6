package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code --args} table of the issue, as the original (Python json.loads, else one string) reads it. */
class CallArgumentsTests {

    static Stream<Arguments> table() {
        return Stream.of(
                // a JSON object: keyword arguments
                Arguments.of("{\"a\": 5, \"b\": 3}", "[]", "{\"a\":5,\"b\":3}"),
                Arguments.of("{}", "[]", "{}"),
                Arguments.of("{\"p\": {\"x\": [1, 2]}}", "[]", "{\"p\":{\"x\":[1,2]}}"),
                // a JSON array: positional arguments
                Arguments.of("[5, 3]", "[5,3]", "{}"),
                Arguments.of("[]", "[]", "{}"),
                Arguments.of("[[1, 2], {\"a\": 1}]", "[[1,2],{\"a\":1}]", "{}"),
                Arguments.of("  [\"x\"]  ", "[\"x\"]", "{}"),
                // any other JSON value: one argument
                Arguments.of("42", "[42]", "{}"),
                Arguments.of("-2.5", "[-2.5]", "{}"),
                Arguments.of("true", "[true]", "{}"),
                Arguments.of("null", "[null]", "{}"),
                Arguments.of("\"quoted\"", "[\"quoted\"]", "{}"),
                Arguments.of("12345678901234567890", "[12345678901234567890]", "{}"),
                // not JSON: the text as one string
                Arguments.of("hello", "[\"hello\"]", "{}"),
                Arguments.of("hello world", "[\"hello world\"]", "{}"),
                Arguments.of("", "[\"\"]", "{}"),
                Arguments.of("[1, 2", "[\"[1, 2\"]", "{}"),
                Arguments.of("[1, 2] x", "[\"[1, 2] x\"]", "{}"),
                Arguments.of("{'a': 1}", "[\"{'a': 1}\"]", "{}"),
                Arguments.of("12abc", "[\"12abc\"]", "{}"),
                Arguments.of("NaN", "[\"NaN\"]", "{}"));
    }

    @ParameterizedTest(name = "{0} -> args {1}, kwargs {2}")
    @MethodSource("table")
    void readsArgumentsAsTheOriginalDoes(String text, String args, String kwargs) {
        CallArguments parsed = CallArguments.parse(text);
        assertThat(Json.write(parsed.args())).isEqualTo(args);
        assertThat(Json.write(parsed.kwargs())).isEqualTo(kwargs);
    }
}

package io.voidrail.internal.protocol;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * Range-checked readers of the numbers peers send. A value out of range is never clamped or wrapped silently: it
 * fails with a {@link BadField} that names the field, which the receiver turns into a BAD_REQUEST answer.
 * Absent and JSON {@code null} fields take the default (older and Python peers leave fields out).
 */
public final class Fields {

    private Fields() {
    }

    /** A field's value is not what the protocol allows; the message names the field and the allowed range. */
    public static final class BadField extends IllegalArgumentException {

        private final String field;

        BadField(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** An integral number in {@code [min, max]}, or {@code absent} when the field is missing or null. */
    public static int intIn(JsonNode object, String field, int min, int max, int absent) {
        return (int) longIn(object, field, min, max, absent);
    }

    /**
     * An integral number in {@code [min, max]}, or {@code absent} when the field is missing or null. Floating-point
     * values with no fraction (Python's {@code 100.0}) are accepted; {@code 1e300}, fractions, strings and
     * booleans are not.
     */
    public static long longIn(JsonNode object, String field, long min, long max, long absent) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long number = value.asLong();
            if (number >= min && number <= max) {
                return number;
            }
        }
        else if (value.isFloatingPointNumber()) {
            double number = value.asDouble();
            if (number == Math.rint(number) && number >= min && number <= max) {
                return (long) number;
            }
        }
        throw new BadField(field, field + " must be an integer from " + min + " to " + max + ", was " + shown(value));
    }

    /** A number's text, cut so that a 1000-digit number does not become a 1000-character error. */
    private static String shown(@Nullable JsonNode value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}

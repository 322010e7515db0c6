package io.voidrail.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exposes a method on the bus as {@code <group>.<name>}.
 *
 * <p>A method may return a plain value, a {@link java.util.concurrent.CompletionStage}, or a stream
 * ({@link java.util.stream.Stream} or {@link java.util.concurrent.Flow.Publisher}, always sent item by item;
 * an {@link java.util.Iterator} or {@link Iterable} only when {@link #stream()} is {@code true}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ServiceMethod {

    /** The public method name inside its group; empty means the Java method name. */
    String name() default "";

    /** Human description shown by discovery ({@code methods}); empty means none. */
    String description() default "";

    /**
     * Parameter descriptions as {@code "name: description"} entries. Parameters not listed are
     * described by their Java type.
     */
    String[] params() default {};

    /** Free metadata as {@code "key=value"} entries, published with the method. */
    String[] metadata() default {};

    /** Send an {@code Iterator}/{@code Iterable} result item by item instead of as one JSON array. */
    boolean stream() default false;

    /**
     * The method may safely run twice: the router may re-queue its in-flight calls when their dealer
     * is lost instead of failing them.
     */
    boolean idempotent() default false;
}

package io.voidrail.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link ServiceMethod} methods a dealer serves, or an interface that a client
 * turns into a typed proxy. The value is the service group: the part before the dot in a public
 * method name such as {@code EchoService.echo}.
 *
 * <p>In a Spring application the annotation is also a component stereotype (the Spring module
 * meta-annotates it); core never depends on Spring.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface VoidRailService {

    /** The service group; empty means the simple name of the annotated class. */
    String value() default "";
}

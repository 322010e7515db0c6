package io.voidrail.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

import io.voidrail.boot.autoconfigure.internal.ImportVoidRailClientsRegistrar;

/**
 * Makes typed-client beans of {@code @VoidRailService} interfaces outside the application's packages (those are
 * found without it). With no attribute, the package of the annotated class is scanned.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ImportVoidRailClients(EchoClient.class)
 * class FrontApplication { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(ImportVoidRailClientsRegistrar.class)
public @interface ImportVoidRailClients {

    /** Interfaces to make typed clients of. */
    Class<?>[] value() default {};

    /** Packages to scan for {@code @VoidRailService} interfaces. */
    String[] basePackages() default {};

    /** Packages to scan, named by a class in each. */
    Class<?>[] basePackageClasses() default {};

}

package io.voidrail.benchmarks;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.voidrail.internal.Sockets;

/** Core's {@code io.voidrail.internal} is not API: this module uses only what is declared here. */
@AnalyzeClasses(packages = "io.voidrail.benchmarks", importOptions = ImportOption.DoNotIncludeTests.class)
class InternalUseTests {

    /** Declared: the raw JeroMQ baseline tunes its sockets with core's {@code Sockets}, so that it measures the same settings. */
    @ArchTest
    static final ArchRule onlyDeclaredInternals = noClasses().should().dependOnClassesThat(
            resideInAPackage("io.voidrail.internal..").and(not(belongToAnyOf(Sockets.class))));
}

package io.voidrail.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of core, checked on its classes (the other modules check their use of {@code internal} themselves). */
@AnalyzeClasses(packages = "io.voidrail", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.voidrail.(**)").should().beFreeOfCycles();

    /** The wire format knows nothing of the roles that speak it. */
    @ArchTest
    static final ArchRule protocolDependsOnNoRole = noClasses().that().resideInAPackage("io.voidrail.internal.protocol..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.voidrail.router..", "io.voidrail.dealer..", "io.voidrail.client..");
}

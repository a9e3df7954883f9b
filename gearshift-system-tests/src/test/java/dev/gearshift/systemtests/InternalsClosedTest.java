package dev.gearshift.systemtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Internal packages are closed: only the module that owns one may use it, so the public packages are what other
 * modules (and users) rely on. On the classpath nothing else enforces it. This module depends on every other one,
 * so it sees all their classes; a module it does not see is not checked, so a new module belongs in its POM.
 */
class InternalsClosedTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gearshift");
    }

    @Test
    void onlyCoreUsesCoresInternals() {
        noClasses().that(outside("gearshift-core")).should().dependOnClassesThat()
                .resideInAPackage("dev.gearshift.internal..").check(classes);
    }

    @Test
    void onlyTheDiffModuleUsesItsInternals() {
        noClasses().that(outside("gearshift-diff")).should().dependOnClassesThat()
                .resideInAPackage("dev.gearshift.diff.internal..").check(classes);
    }

    @Test
    void theEngineKnowsNoJdbc() {
        noClasses().that().resideInAPackage("dev.gearshift.internal.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..").check(classes);
    }

    /** Classes not loaded from the module's build output or jar: its package names alone could be borrowed. */
    private static DescribedPredicate<JavaClass> outside(String module) {
        return DescribedPredicate.describe("are outside " + module, javaClass -> javaClass.getSource()
                .map(source -> !source.getUri().toString().contains("/" + module + "/")
                       )
                .orElse(true));
    }
}

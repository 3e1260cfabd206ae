package dev.nestor.autoscaler;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * STYLE "four layers, one direction": the renderers are pure (no client, no CDI, no Kafka, no clock, no environment),
 * and the REST and messaging layers write nothing to an API server themselves.
 */
class LayeringTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.nestor.autoscaler");

    @Test
    void renderersImportNoInfrastructure() {
        noClasses().that().resideInAPackage("..autoscaler.render..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..",
                        "jakarta.enterprise..", "jakarta.inject..", "org.apache.kafka..", "io.smallrye..",
                        // support's infrastructure; its pure render helpers are fine
                        "dev.nestor.support.apply..", "dev.nestor.support.auth..", "dev.nestor.support.feed..",
                        "dev.nestor.support.lease..", "dev.nestor.support.problem..", "dev.nestor.support.work..",
                        "dev.nestor.autoscaler.apply..", "dev.nestor.autoscaler.reconcile..",
                        "dev.nestor.autoscaler.messaging..", "dev.nestor.autoscaler.api..")
                .check(CLASSES);
    }

    @Test
    void renderersNeverReadTheClockOrTheEnvironment() {
        noClasses().that().resideInAPackage("..autoscaler.render..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(CLASSES);
    }

    @Test
    void onlyTheApplyLayerWrites() {
        noClasses().that().resideInAnyPackage("..autoscaler.messaging..", "..autoscaler.api..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.nestor.support.apply.Applier")
                .check(CLASSES);
    }
}

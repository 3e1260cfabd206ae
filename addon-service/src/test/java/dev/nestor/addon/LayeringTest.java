package dev.nestor.addon;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * STYLE "four layers, one direction": the catalog, the renderer and the state derivation are pure (no client, no
 * CDI, no Kafka, no clock), and only apply/ talks to the API server.
 */
class LayeringTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.nestor.addon");

    @Test
    void pureLayersImportNoInfrastructure() {
        noClasses().that().resideInAnyPackage("..addon.catalog..", "..addon.render..", "..addon.status..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..",
                        "jakarta.enterprise..", "jakarta.inject..", "org.apache.kafka..", "dev.nestor.support..",
                        "dev.nestor.addon.apply..", "dev.nestor.addon.reconcile..", "dev.nestor.addon.api..")
                .check(CLASSES);
    }

    @Test
    void pureLayersNeverReadTheClock() {
        noClasses().that().resideInAnyPackage("..addon.catalog..", "..addon.render..", "..addon.status..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(CLASSES);
    }

    @Test
    void onlyTheApplyLayerTalksToTheApiServer() {
        noClasses().that().resideInAnyPackage("..addon.reconcile..", "..addon.api..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe("a client write",
                        call -> call.getTargetOwner().getPackageName().startsWith("io.fabric8.kubernetes.client.dsl")
                                && java.util.Set.of("serverSideApply", "create", "delete", "patch", "update", "edit")
                                .contains(call.getName())))
                .check(CLASSES);
    }
}

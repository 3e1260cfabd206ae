package dev.nestor.cluster;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * STYLE "four layers, one direction": renderers, lifecycle derivation and validation are pure —
 * no client, no CDI, no Kafka, no clock of their own — and only apply/ talks to the API server.
 */
class LayeringTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.nestor.cluster");

    @Test
    void pureLayersImportNoInfrastructure() {
        noClasses().that().resideInAnyPackage("..cluster.render..", "..cluster.lifecycle..", "..cluster.validate..",
                        "..cluster.kubeconfig..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..", "jakarta.enterprise..",
                        "jakarta.inject..", "org.apache.kafka..", "io.smallrye..", "io.javaoperatorsdk..",
                        "dev.nestor.cluster.apply..", "dev.nestor.cluster.reconcile..", "dev.nestor.cluster.api..")
                .check(CLASSES);
    }

    @Test
    void pureLayersNeverReadTheClock() {
        noClasses().that().resideInAnyPackage("..cluster.render..", "..cluster.lifecycle..", "..cluster.validate..",
                        "..cluster.kubeconfig..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(CLASSES);
    }

    @Test
    void onlyTheApplyLayerWritesToTheApiServer() {
        noClasses().that().resideInAnyPackage("..cluster.render..", "..cluster.lifecycle..", "..cluster.reconcile..",
                        "..cluster.messaging..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
                .check(CLASSES);
    }
}

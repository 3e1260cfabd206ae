package dev.nestor.autoscaler.reconcile;

import dev.nestor.autoscaler.reconcile.Availability.Verdict;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The autoscaler Deployment's status → configured, failed or still coming up, as the state report says it. */
class AvailabilityTest {
    static final Instant CREATED = Instant.parse("2026-11-25T10:00:00Z");

    @ParameterizedTest(name = "gen {0}/{1}, available {2}, Available={3}, Progressing={4}, ReplicaFailure={5}, +{6}s → {7}")
    @CsvSource(nullValues = "-", value = {
            "1, 1, 1, True, -, -, 10, AVAILABLE",
            "1, 1, 1, -, -, -, 10, AVAILABLE",
            "2, 1, 1, True, -, -, 10, PENDING",
            "1, 1, 0, False, -, -, 10, PENDING",
            "1, 1, 0, False, -, -, 400, FAILED",
            "1, 1, 0, -, False, -, 10, FAILED",
            "1, 1, 0, -, -, True, 10, FAILED",
            "1, -, -, -, -, -, 10, PENDING",
            "1, -, -, -, -, -, 301, FAILED"})
    void verdicts(long generation, Long observed, Integer available, String availableCondition, String progressing,
            String replicaFailure, long secondsLater, Verdict verdict) {
        DeploymentStatusBuilder status = new DeploymentStatusBuilder().withObservedGeneration(observed)
                .withAvailableReplicas(available);
        if (availableCondition != null) {
            status.addToConditions(new DeploymentConditionBuilder().withType("Available").withStatus(availableCondition)
                    .withLastTransitionTime(CREATED.toString()).build());
        }
        if (progressing != null) {
            status.addToConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus(progressing)
                    .withReason("ProgressDeadlineExceeded").build());
        }
        if (replicaFailure != null) {
            status.addToConditions(new DeploymentConditionBuilder().withType("ReplicaFailure").withStatus(replicaFailure)
                    .withReason("FailedCreate").withMessage("pods are forbidden").build());
        }
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("demo-cluster-autoscaler")
                .withGeneration(generation).withCreationTimestamp(CREATED.toString()).endMetadata()
                .withStatus(status.build()).build();
        Availability.Result result = Availability.of(d, CREATED.plusSeconds(secondsLater), Duration.ofMinutes(5));
        assertThat(result.verdict()).isEqualTo(verdict);
        assertThat(result.message()).isNotBlank();
    }

    @ParameterizedTest(name = "no Deployment yet → PENDING")
    @CsvSource("x")
    void noDeploymentIsPending(String ignored) {
        assertThat(Availability.of(null, CREATED, Duration.ofMinutes(5)).verdict()).isEqualTo(Verdict.PENDING);
    }
}

package dev.nestor.autoscaler.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Pure reading of the autoscaler Deployment's status into configured, failed, or still coming up. */
public final class Availability {

    /** Where the Deployment stands. */
    public enum Verdict {
        AVAILABLE, FAILED, PENDING
    }

    /** A verdict with the reason a user would want to read. */
    public record Result(Verdict verdict, String message) {
    }

    private Availability() {
    }

    /** The verdict at {@code now}: failed when the rollout says so or it has been unavailable past the deadline. */
    public static Result of(Deployment d, Instant now, Duration deadline) {
        if (d == null) {
            return new Result(Verdict.PENDING, "the cluster-autoscaler Deployment is being created");
        }
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        var status = d.getStatus();
        long observed = status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        int available = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        Optional<DeploymentCondition> availableCondition = condition(d, "Available");
        if (observed >= generation && available >= 1
                && availableCondition.map(c -> "True".equals(c.getStatus())).orElse(true)) {
            return new Result(Verdict.AVAILABLE, "the cluster-autoscaler is running");
        }
        Optional<DeploymentCondition> failure = condition(d, "ReplicaFailure")
                .filter(c -> "True".equals(c.getStatus()))
                .or(() -> condition(d, "Progressing").filter(c -> "False".equals(c.getStatus())));
        if (failure.isPresent()) {
            return new Result(Verdict.FAILED, "the cluster-autoscaler Deployment is not progressing: "
                    + failure.get().getReason() + (failure.get().getMessage() == null ? ""
                            : " (" + failure.get().getMessage() + ")"));
        }
        Instant since = availableCondition.map(DeploymentCondition::getLastTransitionTime)
                .or(() -> Optional.ofNullable(d.getMetadata().getCreationTimestamp()))
                .map(Instant::parse).orElse(now);
        if (now.isAfter(since.plus(deadline))) {
            return new Result(Verdict.FAILED, "the cluster-autoscaler has not become available within " + deadline);
        }
        return new Result(Verdict.PENDING, "waiting for the cluster-autoscaler to become available");
    }

    private static Optional<DeploymentCondition> condition(Deployment d, String type) {
        return d.getStatus() == null || d.getStatus().getConditions() == null ? Optional.empty()
                : d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}

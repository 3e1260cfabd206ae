package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Cluster API MachineHealthCheck controller, reporting only: which Machines it targets, how many are healthy
 * (their Node is Ready) and how many remediations its {@code triggerIf} bound still allows. It never remediates: the
 * simulated Nodes do not fail on their own.
 */
final class HealthCheckSimulation {

    private HealthCheckSimulation() {
    }

    static void reconcile(Reconciliation r) {
        for (GenericKubernetesResource mhc : r.observed.healthChecks) {
            if (Fields.deleting(mhc)) {
                continue;
            }
            Owners.ensureClusterOwned(r.api, Kind.MACHINE_HEALTH_CHECK, mhc, r.observed.cluster);
            Map<String, Object> matchLabels = Fields.map(mhc, "spec", "selector", "matchLabels");
            List<GenericKubernetesResource> targets = r.observed.machines.stream()
                    .filter(m -> !Fields.deleting(m))
                    .filter(m -> matchLabels.entrySet().stream()
                            .allMatch(e -> Objects.equals(String.valueOf(e.getValue()),
                                    Fields.label(m, e.getKey()))))
                    .toList();
            int healthy = (int) targets.stream()
                    .filter(m -> Conditions.isTrue(Fields.list(m, "status", "conditions"), "NodeHealthy")).count();
            int unhealthy = targets.size() - healthy;
            int allowed = Math.max(0, maxUnhealthy(mhc, targets.size()) - unhealthy);

            Map<String, Object> status = new LinkedHashMap<>();
            status.put("expectedMachines", targets.size());
            status.put("currentHealthy", healthy);
            status.put("remediationsAllowed", allowed);
            status.put("observedGeneration", Fields.generation(mhc));
            if (!targets.isEmpty()) {
                status.put("targets", targets.stream().map(Fields::name).sorted().toList());
            }
            boolean remediationAllowed = unhealthy <= maxUnhealthy(mhc, targets.size());
            status.put("conditions", Conditions.of(Fields.list(mhc, "status", "conditions"), Fields.generation(mhc),
                    r.now)
                    .set("RemediationAllowed", remediationAllowed,
                            remediationAllowed ? "RemediationAllowed" : "TooManyUnhealthy",
                            remediationAllowed ? "" : "Remediation is not allowed, the number of not started or "
                                    + "unhealthy machines exceeds maxUnhealthy")
                    .set("Paused", false, "NotPaused", "")
                    .build());
            r.api.applyStatus(Kind.MACHINE_HEALTH_CHECK, mhc, status, Managers.CAPI);
        }
    }

    /** {@code spec.remediation.triggerIf.unhealthyLessThanOrEqualTo}: an int or a percentage, 100% when absent. */
    private static int maxUnhealthy(GenericKubernetesResource mhc, int expected) {
        Object bound = Fields.at(mhc, "spec", "remediation", "triggerIf", "unhealthyLessThanOrEqualTo");
        if (bound instanceof Number number) {
            return number.intValue();
        }
        if (bound instanceof String text && text.endsWith("%")) {
            return (int) Math.floor(Double.parseDouble(text.substring(0, text.length() - 1)) / 100.0 * expected);
        }
        return expected;
    }
}

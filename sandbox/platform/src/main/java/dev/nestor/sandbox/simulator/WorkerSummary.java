package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Replica counters over a set of Machines, as the v1beta2 statuses report them. */
record WorkerSummary(int desired, int replicas, int ready, int available, int upToDate) {

    /** Over the Machines of the given MachineDeployments. */
    static WorkerSummary of(Observed observed, List<GenericKubernetesResource> deployments) {
        int desired = deployments.stream().mapToInt(md -> Fields.integer(md, "spec", "replicas").orElse(0)).sum();
        List<GenericKubernetesResource> machines = deployments.stream()
                .flatMap(md -> observed.machinesOfDeployment(md).stream()).toList();
        return count(desired, machines);
    }

    /** Over the given Machines, with {@code desired} replicas wanted. */
    static WorkerSummary count(int desired, List<GenericKubernetesResource> machines) {
        return new WorkerSummary(desired, machines.size(),
                (int) machines.stream().filter(m -> condition(m, "Ready")).count(),
                (int) machines.stream().filter(m -> condition(m, "Available")).count(),
                (int) machines.stream().filter(m -> condition(m, "UpToDate")).count());
    }

    boolean allReady() {
        return ready == replicas;
    }

    boolean allUpToDate() {
        return upToDate == replicas;
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("desiredReplicas", desired);
        map.put("replicas", replicas);
        map.put("readyReplicas", ready);
        map.put("availableReplicas", available);
        map.put("upToDateReplicas", upToDate);
        return map;
    }

    static boolean condition(GenericKubernetesResource machine, String type) {
        return Conditions.isTrue(Fields.list(machine, "status", "conditions"), type);
    }
}

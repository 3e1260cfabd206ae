package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Cluster API MachineSet controller: creates Machines (with their KubeadmConfig and KubevirtMachine cloned from
 * the templates) up to {@code spec.replicas}, gated by the preflight checks that are on by default, deletes the
 * surplus (annotated, then unhealthy, then newest first), and writes the v1beta2 status.
 */
final class MachineSetSimulation {

    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration BLOCKED_RETRY = Duration.ofSeconds(1);

    private MachineSetSimulation() {
    }

    static void reconcile(Reconciliation r) {
        for (GenericKubernetesResource ms : r.observed.machineSets) {
            if (Fields.deleting(ms)) {
                continue;
            }
            if (Fields.owner(ms, Kind.MACHINE_DEPLOYMENT.kind()).isPresent()
                    && r.observed.machineDeployments.stream().noneMatch(md -> Fields.ownedBy(ms, md))) {
                // Its MachineDeployment is gone: garbage collection would remove it.
                r.api.delete(Kind.MACHINE_SET, ms.getMetadata().getNamespace(), Fields.name(ms));
                continue;
            }
            String blocked = scale(r, ms);
            if (blocked != null) {
                // Templates appearing are not watched, and the checks may clear without an event on this cluster.
                r.requeueAfter(BLOCKED_RETRY);
            }
            r.api.applyStatus(Kind.MACHINE_SET, ms, status(r, ms, blocked), Managers.CAPI);
        }
    }

    /** Creates or deletes Machines; returns why a needed scale-up is blocked, or null. */
    private static String scale(Reconciliation r, GenericKubernetesResource ms) {
        List<GenericKubernetesResource> active = r.observed.machinesOf(ms).stream()
                .filter(m -> !Fields.deleting(m)).toList();
        int desired = MachineDeploymentSimulation.replicas(ms);
        if (active.size() < desired) {
            String blocked = Preflight.blockedReason(r.observed, ms);
            if (blocked != null) {
                return blocked;
            }
            Templates templates = Templates.load(r.api, ms);
            if (templates.missing() != null) {
                return "failed to clone templates: " + templates.missing() + " not found";
            }
            for (int i = active.size(); i < desired; i++) {
                createMachine(r, ms, templates);
            }
        } else if (active.size() > desired) {
            active.stream()
                    .sorted(deletionOrder())
                    .limit(active.size() - desired)
                    .forEach(m -> r.api.delete(Kind.MACHINE, m.getMetadata().getNamespace(), Fields.name(m)));
        }
        return null;
    }

    /** Machines marked for deletion first, then those not ready, then the newest. */
    private static Comparator<GenericKubernetesResource> deletionOrder() {
        Comparator<GenericKubernetesResource> marked = Comparator.comparing(
                m -> Fields.annotation(m, Labels.DELETE_MACHINE) == null);
        Comparator<GenericKubernetesResource> unready = Comparator.comparing(
                m -> WorkerSummary.condition(m, "Ready"));
        Comparator<GenericKubernetesResource> newest = Comparator.comparing(
                (GenericKubernetesResource m) -> Objects.requireNonNullElse(m.getMetadata().getCreationTimestamp(),
                        "")).reversed();
        return marked.thenComparing(unready).thenComparing(newest);
    }

    private static void createMachine(Reconciliation r, GenericKubernetesResource ms, Templates templates) {
        String name = Fields.name(ms) + "-" + randomSuffix();
        String ns = ms.getMetadata().getNamespace();
        String clusterName = r.key().name();
        Map<String, Object> templateMeta = Fields.map(ms, "spec", "template", "metadata");
        Map<String, String> labels = new LinkedHashMap<>();
        Fields.map(templateMeta, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
        labels.put(Labels.CLUSTER_NAME, clusterName);
        labels.put(Labels.SET_NAME, Fields.name(ms));
        Optional.ofNullable(Fields.label(ms, Labels.DEPLOYMENT_NAME))
                .ifPresent(md -> labels.put(Labels.DEPLOYMENT_NAME, md));
        Map<String, String> annotations = new LinkedHashMap<>();
        Fields.map(templateMeta, "annotations").forEach((k, v) -> annotations.put(k, String.valueOf(v)));

        Map<String, Object> spec = Fields.copy(Fields.map(ms, "spec", "template", "spec"));
        spec.put("clusterName", clusterName);
        spec.put("bootstrap", Map.of("configRef", Map.of("apiGroup", Kind.KUBEADM_CONFIG.group(),
                "kind", Kind.KUBEADM_CONFIG.kind(), "name", name)));
        spec.put("infrastructureRef", Map.of("apiGroup", Kind.KUBEVIRT_MACHINE.group(),
                "kind", Kind.KUBEVIRT_MACHINE.kind(), "name", name));
        GenericKubernetesResource machine = object(name, ns, labels, annotations);
        machine.getMetadata().setOwnerReferences(List.of(Owners.controller(Kind.MACHINE_SET, ms)));
        machine.getMetadata().setFinalizers(List.of(Labels.MACHINE_FINALIZER));
        machine.setAdditionalProperty("spec", spec);
        GenericKubernetesResource created = r.api.apply(Kind.MACHINE, machine, Managers.CAPI);

        Map<String, String> cloneLabels = Map.of(Labels.CLUSTER_NAME, clusterName);
        GenericKubernetesResource config = object(name, ns, cloneLabels,
                cloned(templates.bootstrap(), Kind.KUBEADM_CONFIG_TEMPLATE));
        config.getMetadata().setOwnerReferences(List.of(Owners.controller(Kind.MACHINE, created)));
        config.setAdditionalProperty("spec",
                Fields.copy(Fields.map(templates.bootstrap(), "spec", "template", "spec")));
        r.api.apply(Kind.KUBEADM_CONFIG, config, Managers.CAPI);

        GenericKubernetesResource infra = object(name, ns, cloneLabels,
                cloned(templates.infrastructure(), Kind.KUBEVIRT_MACHINE_TEMPLATE));
        infra.getMetadata().setOwnerReferences(List.of(Owners.controller(Kind.MACHINE, created)));
        infra.getMetadata().setFinalizers(List.of(Labels.KUBEVIRT_MACHINE_FINALIZER));
        infra.setAdditionalProperty("spec",
                Fields.copy(Fields.map(templates.infrastructure(), "spec", "template", "spec")));
        r.api.apply(Kind.KUBEVIRT_MACHINE, infra, Managers.CAPI);
    }

    private static Map<String, String> cloned(GenericKubernetesResource template, Kind kind) {
        return Map.of(Labels.CLONED_FROM_NAME, Fields.name(template),
                Labels.CLONED_FROM_GROUP_KIND, kind.kind() + "." + kind.group());
    }

    private static GenericKubernetesResource object(String name, String namespace, Map<String, String> labels,
            Map<String, String> annotations) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setLabels(new LinkedHashMap<>(labels));
        if (!annotations.isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(annotations));
        }
        object.setMetadata(meta);
        return object;
    }

    private static Map<String, Object> status(Reconciliation r, GenericKubernetesResource ms, String blocked) {
        List<GenericKubernetesResource> machines = r.observed.machinesOf(ms);
        int desired = MachineDeploymentSimulation.replicas(ms);
        WorkerSummary counts = WorkerSummary.count(desired, machines);
        Map<String, Object> status = new LinkedHashMap<>();
        String selector = Revisions.selectorString(Fields.map(ms, "spec", "selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        status.put("replicas", counts.replicas());
        status.put("readyReplicas", counts.ready());
        status.put("availableReplicas", counts.available());
        status.put("upToDateReplicas", counts.upToDate());
        status.put("observedGeneration", Fields.generation(ms));
        List<Map<String, Object>> versions = Revisions.versions(machines);
        if (versions != null) {
            status.put("versions", versions);
        }
        Conditions c = Conditions.of(Fields.list(ms, "status", "conditions"), Fields.generation(ms), r.now);
        c.set("MachinesReady", counts.allReady(), machines.isEmpty() ? "NoReplicas"
                : counts.allReady() ? "Ready" : "NotReady", counts.allReady() ? ""
                : (counts.replicas() - counts.ready()) + " Machines not ready");
        c.set("MachinesUpToDate", counts.allUpToDate(), machines.isEmpty() ? "NoReplicas"
                : counts.allUpToDate() ? "UpToDate" : "NotUpToDate", counts.allUpToDate() ? ""
                : (counts.replicas() - counts.upToDate()) + " Machines not up to date");
        boolean up = counts.replicas() < desired;
        boolean down = counts.replicas() > desired;
        String upMessage = up ? "Scaling up from " + counts.replicas() + " to " + desired + " replicas"
                + (blocked == null ? "" : " is blocked because: " + blocked) : "";
        c.set("ScalingUp", up, up ? "ScalingUp" : "NotScalingUp", upMessage);
        c.set("ScalingDown", down, down ? "ScalingDown" : "NotScalingDown",
                down ? "Scaling down from " + counts.replicas() + " to " + desired + " replicas" : "");
        c.set("Remediating", false, "NotRemediating", "");
        c.set("Deleting", false, "NotDeleting", "");
        c.set("Paused", false, "NotPaused", "");
        status.put("conditions", c.build());
        return status;
    }

    private static String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }

    /** The two templates a MachineSet's Machines are cloned from. */
    private record Templates(GenericKubernetesResource bootstrap, GenericKubernetesResource infrastructure) {

        static Templates load(Api api, GenericKubernetesResource ms) {
            String ns = ms.getMetadata().getNamespace();
            return new Templates(
                    api.get(Kind.KUBEADM_CONFIG_TEMPLATE, ns,
                            Fields.string(ms, "spec", "template", "spec", "bootstrap", "configRef", "name")),
                    api.get(Kind.KUBEVIRT_MACHINE_TEMPLATE, ns,
                            Fields.string(ms, "spec", "template", "spec", "infrastructureRef", "name")));
        }

        String missing() {
            if (bootstrap == null) {
                return Kind.KUBEADM_CONFIG_TEMPLATE.kind();
            }
            return infrastructure == null ? Kind.KUBEVIRT_MACHINE_TEMPLATE.kind() : null;
        }
    }
}

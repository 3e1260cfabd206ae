package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cluster API Machine controller, driving each Machine's bootstrap config and infrastructure machine: it copies
 * the bootstrap data name and providerID into the Machine, finds its Node, writes the v1beta2 status, and on deletion
 * removes the infrastructure and bootstrap objects and the Node before its finalizer goes. It also does what garbage
 * collection would for objects whose owner is gone.
 */
final class MachineSimulation {

    private MachineSimulation() {
    }

    static void reconcile(Reconciliation r) {
        Observed o = r.observed;
        for (GenericKubernetesResource machine : o.machines) {
            GenericKubernetesResource config = o.kubeadmConfigOf(machine);
            GenericKubernetesResource kvm = o.kubevirtMachineOf(machine);
            if (Fields.deleting(machine)) {
                delete(r, machine, config, kvm);
                continue;
            }
            if (Fields.owner(machine, Kind.MACHINE_SET.kind()).isPresent()
                    && o.machineSets.stream().noneMatch(ms -> Fields.ownedBy(machine, ms))) {
                r.api.delete(Kind.MACHINE, machine.getMetadata().getNamespace(), Fields.name(machine));
                continue;
            }
            BootstrapSimulation.reconcile(r, config);
            copyIntoSpec(r, machine, config, kvm);
            InfrastructureSimulation.reconcile(r, machine, kvm);
            r.api.applyStatus(Kind.MACHINE, machine, status(r, machine, config, kvm), Managers.CAPI);
        }
        sweepOrphans(r);
    }

    /** The Machine controller copies the bootstrap data Secret name and the providerID into the Machine's spec. */
    private static void copyIntoSpec(Reconciliation r, GenericKubernetesResource machine,
            GenericKubernetesResource config, GenericKubernetesResource kvm) {
        Map<String, Object> spec = new LinkedHashMap<>();
        String dataSecret = config == null ? null : Fields.string(config, "status", "dataSecretName");
        if (dataSecret != null && Fields.string(machine, "spec", "bootstrap", "dataSecretName") == null) {
            spec.put("bootstrap", Map.of("dataSecretName", dataSecret));
        }
        String providerId = kvm == null ? null : Fields.string(kvm, "spec", "providerID");
        if (providerId != null && !providerId.equals(Fields.string(machine, "spec", "providerID"))) {
            spec.put("providerID", providerId);
        }
        if (!spec.isEmpty()) {
            r.api.mergePatch(Kind.MACHINE, machine.getMetadata().getNamespace(), Fields.name(machine),
                    Map.of("spec", spec), Managers.CAPI);
        }
    }

    private static Map<String, Object> status(Reconciliation r, GenericKubernetesResource machine,
            GenericKubernetesResource config, GenericKubernetesResource kvm) {
        boolean bootstrapReady = config != null && Fields.isTrue(config, "status", "initialization",
                "dataSecretCreated");
        boolean infraReady = kvm != null && Fields.isTrue(kvm, "status", "ready");
        String providerId = Fields.string(machine, "spec", "providerID");
        Node node = InfrastructureSimulation.node(r, machine);
        boolean nodeLinked = node != null && providerId != null && node.getSpec() != null
                && providerId.equals(node.getSpec().getProviderID());
        boolean nodeReady = nodeLinked && NodeSimulation.ready(node);
        boolean upToDate = upToDate(r, machine);
        boolean ready = bootstrapReady && infraReady && nodeReady;

        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> initialization = new LinkedHashMap<>();
        if (bootstrapReady) {
            initialization.put("bootstrapDataSecretCreated", true);
        }
        if (infraReady) {
            initialization.put("infrastructureProvisioned", true);
        }
        if (!initialization.isEmpty()) {
            status.put("initialization", initialization);
        }
        status.put("phase", nodeLinked ? "Running" : infraReady ? "Provisioned"
                : bootstrapReady ? "Provisioning" : "Pending");
        if (nodeLinked) {
            status.put("nodeRef", Map.of("name", node.getMetadata().getName()));
            NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
            if (info != null) {
                status.put("nodeInfo", Serialization.jsonMapper().convertValue(info, Map.class));
            }
        }
        List<Map<String, Object>> addresses = kvm == null ? List.of() : Fields.list(kvm, "status", "addresses");
        if (!addresses.isEmpty()) {
            status.put("addresses", addresses);
        }
        status.put("observedGeneration", Fields.generation(machine));

        Conditions c = Conditions.of(Fields.list(machine, "status", "conditions"), Fields.generation(machine), r.now);
        List<String> notReady = new ArrayList<>();
        if (!bootstrapReady) {
            notReady.add("BootstrapConfigReady");
        }
        if (!infraReady) {
            notReady.add("InfrastructureReady");
        }
        if (!nodeReady) {
            notReady.add("NodeHealthy");
        }
        c.set("Available", ready, ready ? "Available" : "NotReady", ready ? "" : "Machine is not ready");
        c.set("Ready", ready, ready ? "Ready" : "NotReady", ready ? "" : "* " + String.join(", ", notReady)
                + " not true");
        c.set("UpToDate", upToDate, upToDate ? "UpToDate" : "NotUpToDate",
                upToDate ? "" : "The machine template of its MachineDeployment changed");
        c.set("BootstrapConfigReady", bootstrapReady, config == null ? "DoesNotExist"
                : bootstrapReady ? "Ready" : "NotReady",
                bootstrapReady ? "" : config == null ? "KubeadmConfig does not exist"
                        : Conditions.message(Fields.list(config, "status", "conditions"), "DataSecretAvailable"));
        String infraMessage = kvm == null ? "KubevirtMachine does not exist"
                : Conditions.reason(Fields.list(kvm, "status", "conditions"), "VMProvisioned") + ": "
                        + Conditions.message(Fields.list(kvm, "status", "conditions"), "VMProvisioned");
        c.set("InfrastructureReady", infraReady, kvm == null ? "DoesNotExist" : infraReady ? "Ready" : "NotReady",
                infraReady ? "" : infraMessage);
        String nodeReason = node == null ? "NodeDoesNotExist" : nodeReady ? "NodeReady" : "NodeNotReady";
        c.set("NodeReady", nodeReady, nodeReason, nodeReady ? "" : node == null ? "Waiting for a Node" : "");
        c.set("NodeHealthy", nodeReady, node == null ? "NodeDoesNotExist" : nodeReady ? "NodeHealthy"
                : "NodeNotHealthy", nodeReady ? "" : node == null ? "Waiting for a Node" : "");
        c.set("Deleting", false, "NotDeleting", "");
        c.set("Paused", false, "NotPaused", "");
        status.put("conditions", c.build());
        return status;
    }

    /** Up to date when its revision is the one its MachineDeployment wants now. */
    private static boolean upToDate(Reconciliation r, GenericKubernetesResource machine) {
        String deployment = Fields.label(machine, Labels.DEPLOYMENT_NAME);
        GenericKubernetesResource md = Observed.byName(r.observed.machineDeployments, deployment);
        return md == null || Revisions.hash(md).equals(Fields.label(machine, Labels.TEMPLATE_HASH));
    }

    /**
     * Deleting a Machine: remove its infrastructure and bootstrap objects, wait for them to go, remove its Node
     * (skipped while the whole Cluster is deleted, as upstream), then the finalizer.
     */
    private static void delete(Reconciliation r, GenericKubernetesResource machine, GenericKubernetesResource config,
            GenericKubernetesResource kvm) {
        String ns = machine.getMetadata().getNamespace();
        if (kvm != null) {
            if (Fields.deleting(kvm)) {
                InfrastructureSimulation.reconcile(r, machine, kvm);
            } else {
                r.api.delete(Kind.KUBEVIRT_MACHINE, ns, Fields.name(kvm));
            }
        }
        if (config != null) {
            r.api.delete(Kind.KUBEADM_CONFIG, ns, Fields.name(config));
            r.api.client().secrets().inNamespace(ns).withName(Fields.name(config)).delete();
        }
        boolean gone = kvm == null && config == null;
        Conditions c = Conditions.of(Fields.list(machine, "status", "conditions"), Fields.generation(machine), r.now);
        c.set("Ready", false, "NotReady", "* Deleting: Machine deletion in progress");
        c.set("Available", false, "NotReady", "Machine is not ready");
        c.set("Deleting", true, gone ? "DeletionCompleted" : "WaitingForInfrastructureDeletion", "");
        Map<String, Object> status = new LinkedHashMap<>(Fields.map(machine, "status"));
        status.put("phase", "Deleting");
        status.put("conditions", mergeConditions(Fields.list(machine, "status", "conditions"), c.build()));
        r.api.applyStatus(Kind.MACHINE, machine, status, Managers.CAPI);
        if (!gone) {
            r.requeueAfter(Reconciliation.SOON);
            return;
        }
        if (!r.observed.clusterDeleting()) {
            NodeSimulation.remove(r, machine);
        }
        if (Fields.hasFinalizer(machine, Labels.MACHINE_FINALIZER)) {
            List<String> finalizers = new ArrayList<>(machine.getMetadata().getFinalizers());
            finalizers.remove(Labels.MACHINE_FINALIZER);
            r.api.setFinalizers(Kind.MACHINE, machine, finalizers, Managers.CAPI);
        }
    }

    private static List<Map<String, Object>> mergeConditions(List<Map<String, Object>> previous,
            List<Map<String, Object>> updates) {
        Map<Object, Map<String, Object>> byType = new LinkedHashMap<>();
        previous.forEach(condition -> byType.put(condition.get("type"), condition));
        updates.forEach(condition -> byType.put(condition.get("type"), condition));
        return List.copyOf(byType.values());
    }

    /** What garbage collection does for the objects of a Machine that is gone. */
    private static void sweepOrphans(Reconciliation r) {
        Observed o = r.observed;
        for (GenericKubernetesResource config : o.kubeadmConfigs) {
            if (o.machineNamed(Fields.name(config)) == null && !Fields.deleting(config)) {
                r.api.delete(Kind.KUBEADM_CONFIG, config.getMetadata().getNamespace(), Fields.name(config));
            }
        }
        for (GenericKubernetesResource kvm : o.kubevirtMachines) {
            if (o.machineNamed(Fields.name(kvm)) != null) {
                continue;
            }
            if (!Fields.deleting(kvm)) {
                r.api.delete(Kind.KUBEVIRT_MACHINE, kvm.getMetadata().getNamespace(), Fields.name(kvm));
            } else {
                InfrastructureSimulation.reconcile(r, null, kvm);
            }
        }
        for (GenericKubernetesResource vm : o.virtualMachines) {
            if (Observed.byName(o.kubevirtMachines, Fields.name(vm)) == null) {
                r.api.delete(Kind.VIRTUAL_MACHINE_INSTANCE, vm.getMetadata().getNamespace(), Fields.name(vm));
                r.api.delete(Kind.VIRTUAL_MACHINE, vm.getMetadata().getNamespace(), Fields.name(vm));
            }
        }
    }
}

package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CAPK and KubeVirt for one worker: the KubevirtMachine waits for the cluster infrastructure and the bootstrap data,
 * creates its VirtualMachine, which boots into a running VMI; then the kubelet joins the tenant cluster and CAPK sets
 * the providerID. On deletion the VM is stopped and removed before CAPK's finalizer goes.
 */
final class InfrastructureSimulation {

    private static final String PROVIDER_PREFIX = "kubevirt://";

    private InfrastructureSimulation() {
    }

    static void reconcile(Reconciliation r, GenericKubernetesResource machine, GenericKubernetesResource kvm) {
        if (kvm == null) {
            return;
        }
        if (Fields.deleting(kvm)) {
            delete(r, kvm);
            return;
        }
        Observed o = r.observed;
        Conditions c = Conditions.of(Fields.list(kvm, "status", "conditions"), Fields.generation(kvm), r.now);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("ready", false);
        String dataSecret = Fields.string(machine, "spec", "bootstrap", "dataSecretName");
        GenericKubernetesResource vm = o.virtualMachineOf(kvm);
        if (!o.infrastructureReady()) {
            c.set("VMProvisioned", false, "WaitingForClusterInfrastructure", "");
        } else if (dataSecret == null) {
            c.set("VMProvisioned", false, o.controlPlaneInitialized() ? "WaitingForBootstrapData"
                    : "WaitingForControlPlaneInitialized", "");
        } else if (vm == null && o.failures.contains(Failure.WORKER_VM)) {
            c.set("VMProvisioned", false, "VMCreateFailed", "Failed vm creation: admission webhook "
                    + "\"virtualmachine-validator.kubevirt.io\" denied the request (injected by "
                    + Failure.ANNOTATION + ": worker-vm)");
        } else if (vm == null) {
            String userData = writeUserData(r, kvm, dataSecret);
            r.api.apply(Kind.VIRTUAL_MACHINE, VirtualMachines.virtualMachine(kvm, r.key().name(), userData),
                    Managers.CAPK);
            c.set("VMProvisioned", false, "VMNotReady", "VM is not ready");
            r.elapsed(kvm.getMetadata().getUid() + "/vm-start", r.timings.vmStart());
        } else if (!r.elapsed(kvm.getMetadata().getUid() + "/vm-start", r.timings.vmStart())) {
            r.api.applyStatus(Kind.VIRTUAL_MACHINE, vm, VirtualMachines.machineStatus(vm, false, r.now),
                    Managers.KUBEVIRT);
            c.set("VMProvisioned", false, "VMNotReady", "VM is not ready: Starting");
        } else {
            String ip = run(r, vm);
            c.set("VMProvisioned", true, "UpToDate", "");
            c.set("BootstrapExecSucceeded", true, "BootstrapCheckingNotSupported", "");
            status.put("ready", true);
            status.put("initialization", Map.of("provisioned", true));
            status.put("addresses", List.of(
                    Map.of("type", "Hostname", "address", Fields.name(kvm)),
                    Map.of("type", "InternalIP", "address", ip),
                    Map.of("type", "ExternalIP", "address", ip),
                    Map.of("type", "InternalDNS", "address", Fields.name(kvm))));
            String providerId = PROVIDER_PREFIX + Fields.name(kvm);
            if (!providerId.equals(Fields.string(kvm, "spec", "providerID"))) {
                r.api.mergePatch(Kind.KUBEVIRT_MACHINE, kvm.getMetadata().getNamespace(), Fields.name(kvm),
                        Map.of("spec", Map.of("providerID", providerId)), Managers.CAPK);
            }
            if (NodeSimulation.join(r, machine, kvm, ip, providerId)) {
                status.put("nodeupdated", true);
            }
        }
        status.put("conditions", c.build());
        r.api.applyStatus(Kind.KUBEVIRT_MACHINE, kvm, status, Managers.CAPK);
    }

    /** KubeVirt starts the VM: its VMI runs on the (single) sandbox node. Returns the VM's address. */
    private static String run(Reconciliation r, GenericKubernetesResource vm) {
        String ip = VirtualMachines.address(vm);
        GenericKubernetesResource vmi = r.observed.instanceOf(vm);
        if (vmi == null) {
            vmi = r.api.apply(Kind.VIRTUAL_MACHINE_INSTANCE, VirtualMachines.instance(vm), Managers.KUBEVIRT);
        }
        r.api.applyStatus(Kind.VIRTUAL_MACHINE_INSTANCE, vmi, VirtualMachines.instanceStatus(vmi, ip, r.now),
                Managers.KUBEVIRT);
        r.api.applyStatus(Kind.VIRTUAL_MACHINE, vm, VirtualMachines.machineStatus(vm, true, r.now),
                Managers.KUBEVIRT);
        return ip;
    }

    /** CAPK copies the bootstrap data into the VM namespace as the cloud-init user data. */
    private static String writeUserData(Reconciliation r, GenericKubernetesResource kvm, String dataSecret) {
        String ns = kvm.getMetadata().getNamespace();
        Secret data = r.api.client().secrets().inNamespace(ns).withName(dataSecret).get();
        String value = data == null ? "" : Objects.requireNonNullElse(ControlPlaneSecrets.decode(data, "value"), "");
        String name = dataSecret + "-userdata";
        Secret userData = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(Map.of(Labels.CLUSTER_NAME, r.key().name()))
                .withOwnerReferences(Owners.controller(Kind.KUBEVIRT_MACHINE, kvm))
                .endMetadata()
                .withStringData(Map.of("userdata", value))
                .build();
        r.api.client().secrets().inNamespace(ns).resource(userData)
                .fieldManager(Managers.CAPK).forceConflicts().serverSideApply();
        return name;
    }

    /** CAPK's finalizer: stop and delete the VM (and its instance), then let the KubevirtMachine go. */
    private static void delete(Reconciliation r, GenericKubernetesResource kvm) {
        String ns = kvm.getMetadata().getNamespace();
        GenericKubernetesResource vm = r.observed.virtualMachineOf(kvm);
        GenericKubernetesResource vmi = r.observed.instanceOf(kvm);
        if (!r.elapsed(kvm.getMetadata().getUid() + "/vm-shutdown", r.timings.vmShutdown())) {
            return;
        }
        if (vmi != null) {
            r.api.delete(Kind.VIRTUAL_MACHINE_INSTANCE, ns, Fields.name(vmi));
        }
        if (vm != null) {
            r.api.delete(Kind.VIRTUAL_MACHINE, ns, Fields.name(vm));
        }
        if (vm != null || vmi != null) {
            // VMs are not watched: look again once the deletes went through.
            r.requeueAfter(Reconciliation.SOON);
        }
        r.api.client().secrets().inNamespace(ns).withLabel(Labels.CLUSTER_NAME, r.key().name()).list().getItems()
                .stream()
                .filter(s -> Fields.ownerRefs(s.getMetadata()).stream()
                        .anyMatch(ref -> Objects.equals(ref.getUid(), kvm.getMetadata().getUid())))
                .forEach(s -> r.api.client().secrets().inNamespace(ns).withName(s.getMetadata().getName()).delete());
        if (vm == null && vmi == null && Fields.hasFinalizer(kvm, Labels.KUBEVIRT_MACHINE_FINALIZER)) {
            List<String> finalizers = new ArrayList<>(kvm.getMetadata().getFinalizers());
            finalizers.remove(Labels.KUBEVIRT_MACHINE_FINALIZER);
            r.api.setFinalizers(Kind.KUBEVIRT_MACHINE, kvm, finalizers, Managers.CAPK);
        }
    }

    /** The Node of a machine in the tenant cluster, if it joined. */
    static Node node(Reconciliation r, GenericKubernetesResource machine) {
        return r.observed.nodes.get(Fields.name(machine));
    }
}

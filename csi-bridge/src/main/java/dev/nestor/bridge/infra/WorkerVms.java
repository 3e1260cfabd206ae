package dev.nestor.bridge.infra;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/**
 * Resolves a tenant Node to its worker VirtualMachine from the management objects of that cluster only (its
 * KubevirtMachines and Machines), never from what the tenant wrote on the Node; the VM must carry the cluster's
 * {@code cluster.x-k8s.io/cluster-name} label. This is what keeps one tenant from reaching another's VMs.
 */
public final class WorkerVms {

    private final InfraCache cache;

    public WorkerVms(InfraCache cache) {
        this.cache = cache;
    }

    /** The name of the worker VM behind {@code nodeName} in cluster {@code namespace/cluster}, if it is one of its. */
    public Optional<String> vmName(String namespace, String cluster, String nodeName) {
        String key = namespace + "/" + cluster;
        // CAPK names the VM (and so the guest's hostname, the Node's name) after the KubevirtMachine.
        Optional<String> byMachineName = cache.kubevirtMachines(key).stream()
                .map(Fields::name).filter(nodeName::equals).findFirst();
        if (byMachineName.isPresent()) {
            return byMachineName;
        }
        return cache.machines(key).stream()
                .filter(machine -> nodeName.equals(Fields.string(machine, "status", "nodeRef", "name")))
                .filter(machine -> "KubevirtMachine".equals(Fields.string(machine, "spec", "infrastructureRef", "kind")))
                .map(machine -> Fields.string(machine, "spec", "infrastructureRef", "name"))
                .filter(name -> name != null)
                .findFirst();
    }

    /** The VM of that name if it exists and belongs to the cluster. */
    public Optional<GenericKubernetesResource> vm(String namespace, String cluster, String vmName) {
        return cache.virtualMachine(namespace, vmName)
                .filter(vm -> cluster.equals(Fields.label(vm, BridgeLabels.CAPI_CLUSTER_NAME)));
    }

    /** The running instance of the cluster's VM of that name, if any. */
    public Optional<GenericKubernetesResource> instance(String namespace, String cluster, String vmName) {
        return cache.instance(namespace, vmName)
                .filter(vmi -> cluster.equals(Fields.label(vmi, BridgeLabels.CAPI_CLUSTER_NAME)));
    }
}

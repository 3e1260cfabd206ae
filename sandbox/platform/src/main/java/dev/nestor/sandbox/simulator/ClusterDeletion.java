package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;

/**
 * Deleting a Cluster as Cluster API does (its {@code reconcileDelete}): the worker MachineDeployments, MachineSets and
 * Machines first, waiting until none remain; then the control plane, waiting for it to go (its tenant API server
 * stops and the kubeconfig Secrets go with it); then the infrastructure cluster; the Cluster's finalizer last.
 */
final class ClusterDeletion {

    private ClusterDeletion() {
    }

    static void reconcile(Reconciliation r) {
        Observed o = r.observed;
        GenericKubernetesResource cluster = o.cluster;
        String ns = cluster.getMetadata().getNamespace();
        // Machines keep going through their own deletion (finalizers) while the Cluster waits for them.
        MachineSimulation.reconcile(r);

        String waitingFor;
        boolean workersLeft = !o.machineDeployments.isEmpty() || !o.machineSets.isEmpty() || !o.machines.isEmpty()
                || !o.kubevirtMachines.isEmpty() || !o.kubeadmConfigs.isEmpty() || !o.virtualMachines.isEmpty();
        if (workersLeft) {
            waitingFor = "WaitingForWorkersDeletion";
            deleteAll(r, Kind.MACHINE_DEPLOYMENT, o.machineDeployments);
            deleteAll(r, Kind.MACHINE_SET, o.machineSets);
            deleteAll(r, Kind.MACHINE, o.machines);
        } else if (o.controlPlane != null) {
            waitingFor = "WaitingForControlPlaneDeletion";
            deleteAll(r, Kind.KAMAJI_CONTROL_PLANE, List.of(o.controlPlane));
        } else if (o.infraCluster != null) {
            waitingFor = "WaitingForInfrastructureDeletion";
            deleteAll(r, Kind.KUBEVIRT_CLUSTER, List.of(o.infraCluster));
        } else {
            waitingFor = null;
        }
        KamajiSimulation.tearDownIfGone(r);

        if (waitingFor != null) {
            r.api.applyStatus(Kind.CLUSTER, cluster, ClusterSimulation.status(r, waitingFor), Managers.CAPI);
            r.requeueAfter(Reconciliation.SOON);
            return;
        }
        // Health checks are not part of CAPI's ordered deletion; garbage collection removes them with the Cluster.
        deleteAll(r, Kind.MACHINE_HEALTH_CHECK, o.healthChecks);
        if (Fields.hasFinalizer(cluster, Labels.CLUSTER_FINALIZER)) {
            List<String> finalizers = new ArrayList<>(cluster.getMetadata().getFinalizers());
            finalizers.remove(Labels.CLUSTER_FINALIZER);
            r.api.setFinalizers(Kind.CLUSTER, cluster, finalizers, Managers.CAPI);
        }
        r.tenants.stop(r.key());
        ControlPlaneSecrets.delete(r.api.client(), ns, r.key().name());
    }

    private static void deleteAll(Reconciliation r, Kind kind, List<GenericKubernetesResource> objects) {
        for (GenericKubernetesResource object : objects) {
            if (!Fields.deleting(object)) {
                r.api.delete(kind, object.getMetadata().getNamespace(), Fields.name(object));
            }
        }
    }
}

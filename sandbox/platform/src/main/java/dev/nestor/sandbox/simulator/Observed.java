package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the simulator knows about one cluster at the start of a reconcile, read fresh from the API servers
 * (live reads rather than informer caches, so a reconcile never acts on its own stale writes).
 */
final class Observed {

    final ClusterKey key;
    final GenericKubernetesResource cluster;
    final Set<Failure> failures;
    final GenericKubernetesResource controlPlane;
    final GenericKubernetesResource infraCluster;
    final List<GenericKubernetesResource> machineDeployments;
    final List<GenericKubernetesResource> machineSets;
    final List<GenericKubernetesResource> machines;
    final List<GenericKubernetesResource> kubeadmConfigs;
    final List<GenericKubernetesResource> kubevirtMachines;
    final List<GenericKubernetesResource> virtualMachines;
    final List<GenericKubernetesResource> virtualMachineInstances;
    final List<GenericKubernetesResource> healthChecks;
    final Map<String, Node> nodes;

    private Observed(ClusterKey key, GenericKubernetesResource cluster, Set<Failure> failures,
            GenericKubernetesResource controlPlane, GenericKubernetesResource infraCluster,
            List<GenericKubernetesResource> machineDeployments, List<GenericKubernetesResource> machineSets,
            List<GenericKubernetesResource> machines, List<GenericKubernetesResource> kubeadmConfigs,
            List<GenericKubernetesResource> kubevirtMachines, List<GenericKubernetesResource> virtualMachines,
            List<GenericKubernetesResource> virtualMachineInstances, List<GenericKubernetesResource> healthChecks,
            Map<String, Node> nodes) {
        this.key = key;
        this.cluster = cluster;
        this.failures = failures;
        this.controlPlane = controlPlane;
        this.infraCluster = infraCluster;
        this.machineDeployments = machineDeployments;
        this.machineSets = machineSets;
        this.machines = machines;
        this.kubeadmConfigs = kubeadmConfigs;
        this.kubevirtMachines = kubevirtMachines;
        this.virtualMachines = virtualMachines;
        this.virtualMachineInstances = virtualMachineInstances;
        this.healthChecks = healthChecks;
        this.nodes = nodes;
    }

    static Observed load(Api api, ClusterKey key, TenantApiServers tenants) {
        String ns = key.namespace();
        GenericKubernetesResource cluster = api.get(Kind.CLUSTER, ns, key.name());
        String controlPlaneName = cluster == null ? key.name()
                : Objects.requireNonNullElse(Fields.string(cluster, "spec", "controlPlaneRef", "name"), key.name());
        String infraName = cluster == null ? key.name()
                : Objects.requireNonNullElse(Fields.string(cluster, "spec", "infrastructureRef", "name"), key.name());
        Map<String, Node> nodes = tenants.get(key)
                .map(running -> running.client().nodes().list().getItems().stream()
                        .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity())))
                .orElse(Map.of());
        return new Observed(key, cluster, failures(api, cluster),
                api.get(Kind.KAMAJI_CONTROL_PLANE, ns, controlPlaneName),
                api.get(Kind.KUBEVIRT_CLUSTER, ns, infraName),
                sorted(api.list(Kind.MACHINE_DEPLOYMENT, ns).stream()
                        .filter(md -> key.name().equals(Fields.string(md, "spec", "clusterName"))).toList()),
                ofCluster(api, Kind.MACHINE_SET, key),
                ofCluster(api, Kind.MACHINE, key),
                ofCluster(api, Kind.KUBEADM_CONFIG, key),
                ofCluster(api, Kind.KUBEVIRT_MACHINE, key),
                ofCluster(api, Kind.VIRTUAL_MACHINE, key),
                ofCluster(api, Kind.VIRTUAL_MACHINE_INSTANCE, key),
                sorted(api.list(Kind.MACHINE_HEALTH_CHECK, ns).stream()
                        .filter(mhc -> key.name().equals(Fields.string(mhc, "spec", "clusterName"))).toList()),
                nodes);
    }

    /** The failures injected on the TenantCluster that owns this cluster (found through its labels). */
    private static Set<Failure> failures(Api api, GenericKubernetesResource cluster) {
        if (cluster == null) {
            return Set.of();
        }
        String owner = Objects.requireNonNullElse(Fields.label(cluster, Labels.NESTOR_CLUSTER), Fields.name(cluster));
        GenericKubernetesResource tenantCluster;
        try {
            tenantCluster = api.get(Kind.TENANT_CLUSTER, cluster.getMetadata().getNamespace(), owner);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            // Without the TenantCluster kind (a bare API server) there is nothing to inject.
            return Set.of();
        }
        return tenantCluster == null ? Set.of() : Failure.parse(Fields.annotation(tenantCluster, Failure.ANNOTATION));
    }

    private static List<GenericKubernetesResource> ofCluster(Api api, Kind kind, ClusterKey key) {
        return sorted(api.list(kind, key.namespace(), Labels.CLUSTER_NAME, key.name()));
    }

    private static List<GenericKubernetesResource> sorted(List<GenericKubernetesResource> objects) {
        return objects.stream()
                .sorted(Comparator.comparing((GenericKubernetesResource o) ->
                        Objects.requireNonNullElse(o.getMetadata().getCreationTimestamp(), ""))
                        .thenComparing(o -> o.getMetadata().getName()))
                .toList();
    }

    boolean clusterDeleting() {
        return cluster != null && Fields.deleting(cluster);
    }

    boolean controlPlaneInitialized() {
        return cluster != null && Fields.isTrue(cluster, "status", "initialization", "controlPlaneInitialized");
    }

    boolean infrastructureReady() {
        return cluster != null
                && Conditions.isTrue(Fields.list(cluster, "status", "conditions"), "InfrastructureReady");
    }

    List<GenericKubernetesResource> machineSetsOf(GenericKubernetesResource deployment) {
        return machineSets.stream().filter(ms -> Fields.ownedBy(ms, deployment)).toList();
    }

    List<GenericKubernetesResource> machinesOf(GenericKubernetesResource machineSet) {
        return machines.stream().filter(m -> Fields.ownedBy(m, machineSet)).toList();
    }

    List<GenericKubernetesResource> machinesOfDeployment(GenericKubernetesResource deployment) {
        return machines.stream()
                .filter(m -> Fields.name(deployment).equals(Fields.label(m, Labels.DEPLOYMENT_NAME)))
                .toList();
    }

    GenericKubernetesResource kubeadmConfigOf(GenericKubernetesResource machine) {
        return byName(kubeadmConfigs, Fields.string(machine, "spec", "bootstrap", "configRef", "name"));
    }

    GenericKubernetesResource kubevirtMachineOf(GenericKubernetesResource machine) {
        return byName(kubevirtMachines, Fields.string(machine, "spec", "infrastructureRef", "name"));
    }

    GenericKubernetesResource virtualMachineOf(GenericKubernetesResource kubevirtMachine) {
        return byName(virtualMachines, Fields.name(kubevirtMachine));
    }

    GenericKubernetesResource instanceOf(GenericKubernetesResource kubevirtMachine) {
        return byName(virtualMachineInstances, Fields.name(kubevirtMachine));
    }

    GenericKubernetesResource machineNamed(String name) {
        return byName(machines, name);
    }

    static GenericKubernetesResource byName(List<GenericKubernetesResource> objects, String name) {
        if (name == null) {
            return null;
        }
        return objects.stream().filter(o -> name.equals(Fields.name(o))).findFirst().orElse(null);
    }
}

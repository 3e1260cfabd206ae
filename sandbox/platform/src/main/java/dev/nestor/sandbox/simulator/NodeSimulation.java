package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The kubelet of a worker VM joining the tenant cluster: a Node named after the machine, with the
 * {@code node.cloudprovider.kubernetes.io/uninitialized} taint (kubelets run with an external cloud provider), a Ready
 * condition, the VM's address and capacity, and the Machine labels and taints Cluster API syncs to Nodes. CAPK then
 * sets {@code spec.providerID} (there is no KubeVirt cloud controller to do it).
 */
final class NodeSimulation {

    static final String UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized";
    /** The label domains Cluster API syncs from Machines to Nodes. */
    private static final List<String> SYNCED_DOMAINS = List.of("node-role.kubernetes.io",
            "node-restriction.kubernetes.io", "node.cluster.x-k8s.io");

    private NodeSimulation() {
    }

    /**
     * Joins the machine's Node once the VM has booted and the kubelet had time to register.
     *
     * @return whether the Node exists with the machine's providerID
     */
    static boolean join(Reconciliation r, GenericKubernetesResource machine, GenericKubernetesResource kvm, String ip,
            String providerId) {
        var tenant = r.tenants.get(r.key());
        if (tenant.isEmpty() || !r.elapsed(kvm.getMetadata().getUid() + "/node-join", r.timings.nodeJoin())) {
            return false;
        }
        KubernetesClient client = tenant.get().client();
        String name = Fields.name(machine);
        Node node = r.observed.nodes.get(name);
        if (node == null) {
            node = client.nodes().resource(register(machine, kvm)).fieldManager(Managers.KUBELET).forceConflicts()
                    .serverSideApply();
        }
        if (node.getStatus() == null || node.getStatus().getConditions() == null
                || node.getStatus().getConditions().isEmpty()) {
            client.nodes().withName(name).subresource("status").patch(
                    new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager(Managers.KUBELET).withForce(true).build(),
                    Api.json(Map.of("apiVersion", "v1", "kind", "Node", "metadata", Map.of("name", name),
                            "status", status(machine, kvm, ip, r.now))));
        }
        if (node.getSpec() == null || node.getSpec().getProviderID() == null
                || node.getSpec().getProviderID().isEmpty()) {
            client.nodes().withName(name).patch(
                    new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(Managers.CAPK)
                            .build(),
                    Api.json(Map.of("spec", Map.of("providerID", providerId))));
            return true;
        }
        return providerId.equals(node.getSpec().getProviderID());
    }

    /** Removes a machine's Node from the tenant cluster (when the machine is deleted). */
    static void remove(Reconciliation r, GenericKubernetesResource machine) {
        r.tenants.get(r.key()).ifPresent(tenant -> tenant.client().nodes().withName(Fields.name(machine)).delete());
    }

    private static Node register(GenericKubernetesResource machine, GenericKubernetesResource kvm) {
        String name = Fields.name(machine);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        Map<String, String> machineLabels = Objects.requireNonNullElse(machine.getMetadata().getLabels(), Map.of());
        machineLabels.forEach((key, value) -> {
            if (SYNCED_DOMAINS.stream().anyMatch(domain -> key.startsWith(domain + "/")
                    || key.contains("." + domain + "/"))) {
                labels.put(key, value);
            }
        });
        List<Taint> taints = new ArrayList<>();
        taints.add(new TaintBuilder().withKey(UNINITIALIZED_TAINT).withValue("true").withEffect("NoSchedule")
                .build());
        for (Map<String, Object> taint : Fields.list(machine, "spec", "taints")) {
            taints.add(new TaintBuilder().withKey(String.valueOf(taint.get("key")))
                    .withValue(taint.get("value") == null ? null : String.valueOf(taint.get("value")))
                    .withEffect(String.valueOf(taint.get("effect"))).build());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("cluster.x-k8s.io/cluster-name", Fields.string(machine, "spec", "clusterName"));
        annotations.put("cluster.x-k8s.io/cluster-namespace", machine.getMetadata().getNamespace());
        annotations.put("cluster.x-k8s.io/machine", name);
        Fields.owner(machine, Kind.MACHINE_SET.kind()).ifPresent(owner -> {
            annotations.put("cluster.x-k8s.io/owner-kind", owner.getKind());
            annotations.put("cluster.x-k8s.io/owner-name", owner.getName());
        });
        annotations.put("kubevirt.io/vm", Fields.name(kvm));
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().withTaints(taints).endSpec()
                .build();
    }

    private static Map<String, Object> status(GenericKubernetesResource machine, GenericKubernetesResource kvm,
            String ip, Instant now) {
        String version = KamajiSimulation.tenantVersion(Fields.string(machine, "spec", "version"));
        Map<String, Object> domain = Fields.map(kvm, "spec", "virtualMachineTemplate", "spec", "template", "spec",
                "domain");
        int cpus = Fields.integer(domain, 1, "cpu", "cores") * Fields.integer(domain, 1, "cpu", "sockets")
                * Fields.integer(domain, 1, "cpu", "threads");
        String memory = Objects.requireNonNullElse(Fields.string(domain, "memory", "guest"),
                Objects.requireNonNullElse(Fields.string(domain, "resources", "requests", "memory"), "4Gi"));
        Map<String, Object> capacity = Map.of("cpu", Integer.toString(cpus), "memory", memory, "pods", "110",
                "ephemeral-storage", "20Gi");
        String heartbeat = Conditions.timestamp(now);
        List<Map<String, Object>> conditions = List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available", heartbeat),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
                        heartbeat),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
                        heartbeat),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat));
        String machineId = UUID.nameUUIDFromBytes(Fields.name(machine).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Map<String, Object> nodeInfo = new LinkedHashMap<>();
        nodeInfo.put("architecture", "amd64");
        nodeInfo.put("bootID", UUID.randomUUID().toString());
        nodeInfo.put("containerRuntimeVersion", "containerd://1.7.27");
        nodeInfo.put("kernelVersion", "6.8.0-60-generic");
        nodeInfo.put("kubeProxyVersion", version);
        nodeInfo.put("kubeletVersion", version);
        nodeInfo.put("machineID", machineId);
        nodeInfo.put("operatingSystem", "linux");
        nodeInfo.put("osImage", "Ubuntu 24.04.2 LTS");
        nodeInfo.put("systemUUID", UUID.nameUUIDFromBytes(kvm.getMetadata().getUid()
                .getBytes(StandardCharsets.UTF_8)).toString());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("capacity", capacity);
        status.put("allocatable", capacity);
        status.put("conditions", conditions);
        status.put("addresses", List.of(Map.of("type", "InternalIP", "address", ip),
                Map.of("type", "Hostname", "address", Fields.name(machine))));
        status.put("daemonEndpoints", Map.of("kubeletEndpoint", Map.of("Port", 10250)));
        status.put("nodeInfo", nodeInfo);
        return status;
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message,
            String time) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("lastHeartbeatTime", time);
        condition.put("lastTransitionTime", time);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    /** Whether a Node reports Ready. */
    static boolean ready(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}

package dev.nestor.cluster.render;

import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.Gpu;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Taint;
import dev.nestor.cluster.model.TenantClusterSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.nestor.support.render.Ordered.list;
import static dev.nestor.support.render.Ordered.map;

/** Renders one node group: its two content-hashed templates, MachineDeployment and MachineHealthCheck. */
final class NodeGroupRenderer {
    static final String SYSTEM_DISK = "system";
    static final int NODE_STARTUP_TIMEOUT_SECONDS = 600;
    static final int UNHEALTHY_NODE_TIMEOUT_SECONDS = 300;

    private NodeGroupRenderer() {
    }

    /** Objects of one group, plus the names of its two current templates. */
    record Rendered(List<GenericKubernetesResource> objects, String infraTemplate, String bootstrapTemplate) {
    }

    static Rendered render(RenderInput in, NodeGroup group) {
        String cluster = in.name();
        Catalog.Size size = sizeOf(in.catalog(), group);

        Map<String, Object> infraSpec = map("template", map("spec", kubevirtMachineSpec(in, group, size)));
        String infraName = Names.template(cluster, group.name, TemplateHash.of(infraSpec));
        var infra = Obj.resource(Kind.KUBEVIRT_MACHINE_TEMPLATE, in.namespace(), infraName,
                Labels.of(cluster, group.name), null, infraSpec);

        Map<String, Object> bootstrapSpec = map("template", map("spec", kubeadmConfigSpec(group)));
        String bootstrapName = Names.template(cluster, group.name, TemplateHash.of(bootstrapSpec));
        var bootstrap = Obj.resource(Kind.KUBEADM_CONFIG_TEMPLATE, in.namespace(), bootstrapName,
                Labels.of(cluster, group.name), null, bootstrapSpec);

        var md = machineDeployment(in, group, size, infraName, bootstrapName);
        var mhc = machineHealthCheck(in, group);
        return new Rendered(List.of(infra, bootstrap, md, mhc), infraName, bootstrapName);
    }

    static Catalog.Size sizeOf(Catalog catalog, NodeGroup group) {
        if (group.resources != null) {
            return new Catalog.Size(group.resources.cpu, group.resources.memory);
        }
        Catalog.Size size = catalog.instanceTypes().get(group.instanceType);
        if (size == null) {
            throw new IllegalArgumentException("unknown instance type " + group.instanceType);
        }
        return size;
    }

    private static Map<String, Object> kubevirtMachineSpec(RenderInput in, NodeGroup group, Catalog.Size size) {
        Map<String, Object> pvc = map(
                "accessModes", list("ReadWriteOnce"),
                "resources", map("requests", map("storage", group.diskSize)),
                "storageClassName", group.storageClass);
        List<Object> gpus = new ArrayList<>();
        if (group.gpus != null) {
            for (int i = 0; i < group.gpus.size(); i++) {
                gpus.add(map("name", "gpu" + i, "deviceName", group.gpus.get(i).deviceName));
            }
        }
        Map<String, Object> devices = map(
                "disks", list(map("name", SYSTEM_DISK, "disk", map("bus", "virtio"))),
                "interfaces", list(map("name", "default", "bridge", map())),
                "gpus", gpus.isEmpty() ? null : gpus);
        Map<String, Object> vmSpec = map(
                "runStrategy", "Always",
                "dataVolumeTemplates", list(map(
                        "metadata", map("name", SYSTEM_DISK),
                        "spec", map("source", map("registry", map("url", "docker://" + in.workerImage())), "pvc", pvc))),
                "template", map(
                        "spec", map(
                                "domain", map(
                                        "cpu", map("cores", cores(size.cpu())),
                                        "memory", map("guest", size.memory()),
                                        "devices", devices),
                                "evictionStrategy", "External",
                                "networks", list(map("name", "default", "pod", map())),
                                "volumes", list(map("name", SYSTEM_DISK, "dataVolume", map("name", SYSTEM_DISK))))));
        // No labels of ours on the VM template: CAPK creates the VMs and labels them itself (reference §3.4).
        return map(
                "virtualMachineBootstrapCheck", map("checkStrategy", "none"),
                "virtualMachineTemplate", map("spec", vmSpec));
    }

    /**
     * Workers join with an external cloud provider (csi-bridge initialises the Nodes). Labels
     * outside the domains CAPI syncs to Nodes go through the kubelet's node-labels, and taints
     * through kubeadm's nodeRegistration: the MachineDeployment's own taints need CAPI's
     * MachineTaintPropagation gate, off by default, and its webhook refuses them without it.
     */
    private static Map<String, Object> kubeadmConfigSpec(NodeGroup group) {
        List<Object> args = new ArrayList<>();
        args.add(map("name", "cloud-provider", "value", "external"));
        if (group.labels != null && !group.labels.isEmpty()) {
            String nodeLabels = group.labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            args.add(map("name", "node-labels", "value", nodeLabels));
        }
        List<Object> taints = new ArrayList<>();
        if (group.taints != null) {
            for (Taint t : group.taints) {
                taints.add(map("key", t.key, "value", t.value == null || t.value.isEmpty() ? null : t.value,
                        "effect", t.effect));
            }
        }
        return map("joinConfiguration", map("nodeRegistration", map("kubeletExtraArgs", args,
                "taints", taints.isEmpty() ? null : taints)));
    }

    private static GenericKubernetesResource machineDeployment(RenderInput in, NodeGroup group, Catalog.Size size,
            String infraName, String bootstrapName) {
        String cluster = in.name();
        Map<String, Object> templateLabels = new LinkedHashMap<>(Labels.machineSelector(cluster, group.name));
        templateLabels.put(Labels.NODE_GROUP, group.name);
        if (group.roles != null) {
            group.roles.stream().sorted().forEach(r -> templateLabels.put(Labels.NODE_ROLE_PREFIX + r, ""));
        }
        Map<String, Object> spec = map(
                "clusterName", cluster,
                "replicas", group.autoscaled() ? null : group.minReplicas,
                "selector", map("matchLabels", Labels.machineSelector(cluster, group.name)),
                "rollout", map("strategy", map("type", "RollingUpdate",
                        "rollingUpdate", map("maxSurge", 1, "maxUnavailable", 0))),
                "template", map(
                        "metadata", map("labels", templateLabels),
                        "spec", map(
                                "clusterName", cluster,
                                "version", in.workerVersion(),
                                "bootstrap", map("configRef", map("apiGroup", Kind.KUBEADM_CONFIG_TEMPLATE.group(),
                                        "kind", Kind.KUBEADM_CONFIG_TEMPLATE.kind(), "name", bootstrapName)),
                                "infrastructureRef", map("apiGroup", Kind.KUBEVIRT_MACHINE_TEMPLATE.group(),
                                        "kind", Kind.KUBEVIRT_MACHINE_TEMPLATE.kind(), "name", infraName))));
        return Obj.resource(Kind.MACHINE_DEPLOYMENT, in.namespace(), Names.machineDeployment(cluster, group.name),
                Labels.of(cluster, group.name), autoscalerAnnotations(in.spec(), group, size), spec);
    }

    /**
     * For autoscaled groups: the min/max the autoscaler discovers, and scale-from-zero capacity
     * (reference §5.3) so a group at 0 can still be sized.
     */
    static Map<String, String> autoscalerAnnotations(TenantClusterSpec spec, NodeGroup group, Catalog.Size size) {
        Map<String, String> a = new LinkedHashMap<>();
        if (!group.autoscaled()) {
            return a;
        }
        a.put(Labels.AUTOSCALER_MIN, String.valueOf(group.minReplicas));
        a.put(Labels.AUTOSCALER_MAX, String.valueOf(group.maxReplicas));
        a.put(Labels.CAPACITY_PREFIX + "cpu", String.valueOf(cores(size.cpu())));
        a.put(Labels.CAPACITY_PREFIX + "memory", size.memory());
        if (group.gpus != null && !group.gpus.isEmpty()) {
            a.put(Labels.CAPACITY_PREFIX + "gpu-count", String.valueOf(group.gpus.size()));
            a.put(Labels.CAPACITY_PREFIX + "gpu-type", gpuResource(group.gpus.get(0)));
        }
        List<String> labels = new ArrayList<>();
        if (group.labels != null) {
            group.labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> labels.add(e.getKey() + "=" + e.getValue()));
        }
        if (group.roles != null) {
            group.roles.stream().sorted().forEach(r -> labels.add(Labels.NODE_ROLE_PREFIX + r + "="));
        }
        if (!labels.isEmpty()) {
            a.put(Labels.CAPACITY_PREFIX + "labels", String.join(",", labels));
        }
        if (group.taints != null && !group.taints.isEmpty()) {
            a.put(Labels.CAPACITY_PREFIX + "taints", group.taints.stream()
                    .map(t -> t.key + "=" + (t.value == null ? "" : t.value) + ":" + t.effect)
                    .collect(Collectors.joining(",")));
        }
        if (spec.autoscaling != null) {
            putOption(a, "scaledownunneededtime", spec.autoscaling.scaleDownUnneededTime);
            putOption(a, "scaledownutilizationthreshold", spec.autoscaling.scaleDownUtilizationThreshold);
        }
        return a;
    }

    private static void putOption(Map<String, String> a, String option, String value) {
        if (value != null) {
            a.put("cluster.x-k8s.io/autoscaling-options-" + option, value);
        }
    }

    /** The extended resource a KubeVirt GPU device exposes, e.g. nvidia.com/gpu. */
    private static String gpuResource(Gpu gpu) {
        int slash = gpu.deviceName.indexOf('/');
        return (slash > 0 ? gpu.deviceName.substring(0, slash) : "nvidia.com") + "/gpu";
    }

    private static GenericKubernetesResource machineHealthCheck(RenderInput in, NodeGroup group) {
        String cluster = in.name();
        Map<String, Object> spec = map(
                "clusterName", cluster,
                "selector", map("matchLabels", Labels.machineSelector(cluster, group.name)),
                "checks", map(
                        "nodeStartupTimeoutSeconds", NODE_STARTUP_TIMEOUT_SECONDS,
                        "unhealthyNodeConditions", list(
                                map("type", "Ready", "status", "Unknown", "timeoutSeconds", UNHEALTHY_NODE_TIMEOUT_SECONDS),
                                map("type", "Ready", "status", "False", "timeoutSeconds", UNHEALTHY_NODE_TIMEOUT_SECONDS))),
                "remediation", map("triggerIf", map("unhealthyLessThanOrEqualTo", "40%")));
        return Obj.resource(Kind.MACHINE_HEALTH_CHECK, in.namespace(), Names.machineHealthCheck(cluster, group.name),
                Labels.of(cluster, group.name), null, spec);
    }

    /** Whole vCPUs for the VM: a fractional request rounds up. */
    static int cores(String cpu) {
        BigDecimal amount = new Quantity(cpu).getNumericalAmount();
        return Math.max(1, amount.setScale(0, RoundingMode.CEILING).intValueExact());
    }
}

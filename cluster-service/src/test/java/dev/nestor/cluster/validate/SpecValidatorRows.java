package dev.nestor.cluster.validate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Consumer;


/**
 * The rows of the validation table, shared by the pure validator test and the REST test that
 * checks a refused request leaves nothing behind.
 */
public final class SpecValidatorRows {
    private SpecValidatorRows() {
    }

    static ObjectNode group(ObjectNode body, int i) {
        return (ObjectNode) body.withArray("nodeGroups").get(i);
    }

    static ValidationRow row(String description, Consumer<ObjectNode> breakIt, String field, String rule) {
        return new ValidationRow(description, "demo", breakIt, field, rule);
    }

    public static final List<ValidationRow> ROWS = List.of(
            new ValidationRow("name missing", null, b -> { }, "name", "name-required"),
            new ValidationRow("name longer than 30", "a234567890123456789012345678901", b -> { }, "name", "name-too-long"),
            new ValidationRow("name not DNS-1035", "1demo", b -> { }, "name", "name-format"),
            row("version missing", b -> b.remove("version"), "version", "version-required"),
            row("version malformed", b -> b.put("version", "1.33"), "version", "version-format"),
            row("version not offered", b -> b.put("version", "v1.20"), "version", "version-not-offered"),
            row("patch not offered", b -> b.put("version", "v1.33.1"), "version", "patch-not-offered"),
            row("control plane replicas 0", b -> b.with("controlPlane").put("replicas", 0), "controlPlane.replicas", "control-plane-replicas"),
            row("datastore not allowed", b -> b.with("controlPlane").put("dataStore", "other"), "controlPlane.dataStore", "datastore-not-allowed"),
            row("service type unknown", b -> b.with("controlPlane").put("serviceType", "External"), "controlPlane.serviceType", "service-type"),
            row("pod CIDR malformed", b -> b.with("network").put("podCidr", "10.243.0.0"), "network.podCidr", "cidr-format"),
            row("pod CIDR with host bits", b -> b.with("network").put("podCidr", "10.243.0.1/16"), "network.podCidr", "cidr-format"),
            row("service CIDR too small", b -> b.with("network").put("serviceCidr", "10.95.0.0/28"), "network.serviceCidr", "cidr-size"),
            row("CIDRs overlap", b -> b.with("network").put("serviceCidr", "10.243.128.0/17"), "network.serviceCidr", "cidr-overlap"),
            row("service domain invalid", b -> b.with("network").put("serviceDomain", "Cluster_Local"), "network.serviceDomain", "service-domain"),
            row("no node groups", b -> b.putArray("nodeGroups"), "nodeGroups", "node-groups-required"),
            row("too many node groups", b -> {
                ArrayNode groups = b.putArray("nodeGroups");
                for (int i = 0; i < 21; i++) {
                    groups.addObject().put("name", "g" + i).put("instanceType", "u1.small").put("minReplicas", 1).put("maxReplicas", 1);
                }
            }, "nodeGroups", "node-groups-too-many"),
            row("node group without name", b -> group(b, 0).remove("name"), "nodeGroups[0].name", "node-group-name-required"),
            row("node group name too long", b -> group(b, 0).put("name", "a234567890123456"), "nodeGroups[0].name", "node-group-name-format"),
            row("node group names repeat", b -> group(b, 1).put("name", "md0"), "nodeGroups[1].name", "node-group-name-duplicate"),
            row("both instanceType and resources", b -> group(b, 0).putObject("resources").put("cpu", "1").put("memory", "1Gi"), "nodeGroups[0]", "size-one-of"),
            row("instance type unknown", b -> group(b, 0).put("instanceType", "m5.large"), "nodeGroups[0].instanceType", "instance-type-unknown"),
            row("cpu not a quantity", b -> group(b, 1).with("resources").put("cpu", "four"), "nodeGroups[1].resources.cpu", "cpu-quantity"),
            row("memory zero", b -> group(b, 1).with("resources").put("memory", "0"), "nodeGroups[1].resources.memory", "memory-quantity"),
            row("disk not a quantity", b -> group(b, 1).put("diskSize", "big"), "nodeGroups[1].diskSize", "disk-quantity"),
            row("disk too small", b -> group(b, 1).put("diskSize", "5Gi"), "nodeGroups[1].diskSize", "disk-too-small"),
            row("storage class not allowed", b -> group(b, 0).put("storageClass", "gold"), "nodeGroups[0].storageClass", "storage-class-not-allowed"),
            row("minReplicas missing", b -> group(b, 0).remove("minReplicas"), "nodeGroups[0].minReplicas", "min-required"),
            row("minReplicas negative", b -> group(b, 0).put("minReplicas", -1), "nodeGroups[0].minReplicas", "min-negative"),
            row("maxReplicas missing", b -> group(b, 0).remove("maxReplicas"), "nodeGroups[0].maxReplicas", "max-required"),
            row("maxReplicas above 100", b -> group(b, 0).put("maxReplicas", 101), "nodeGroups[0].maxReplicas", "max-too-large"),
            row("maxReplicas negative", b -> group(b, 0).put("minReplicas", 0).put("maxReplicas", -1), "nodeGroups[0].maxReplicas", "max-negative"),
            row("service CIDR too large for kube-apiserver", b -> b.with("network").put("serviceCidr", "10.0.0.0/11"), "network.serviceCidr", "cidr-size"),
            row("taint in a Kubernetes domain", b -> group(b, 0).putArray("taints").addObject().put("key", "node.kubernetes.io/unreachable").put("effect", "NoExecute"), "nodeGroups[0].taints[0].key", "taint-reserved"),
            row("min above max", b -> group(b, 0).put("minReplicas", 4), "nodeGroups[0].minReplicas", "min-above-max"),
            row("label key invalid", b -> group(b, 0).putObject("labels").put("bad key", "x"), "nodeGroups[0].labels.bad key", "label-key"),
            row("label in a reserved domain", b -> group(b, 0).putObject("labels").put("node-role.kubernetes.io/x", ""), "nodeGroups[0].labels.node-role.kubernetes.io/x", "label-reserved"),
            row("label value invalid", b -> group(b, 0).putObject("labels").put("tier", "not valid!"), "nodeGroups[0].labels.tier", "label-value"),
            row("taint key invalid", b -> group(b, 0).putArray("taints").addObject().put("key", "-x").put("effect", "NoSchedule"), "nodeGroups[0].taints[0].key", "taint-key"),
            row("taint value invalid", b -> group(b, 0).putArray("taints").addObject().put("key", "gpu").put("value", "a b").put("effect", "NoSchedule"), "nodeGroups[0].taints[0].value", "taint-value"),
            row("taint effect unknown", b -> group(b, 0).putArray("taints").addObject().put("key", "gpu").put("effect", "Never"), "nodeGroups[0].taints[0].effect", "taint-effect"),
            row("taint repeated", b -> {
                ArrayNode t = group(b, 0).putArray("taints");
                t.addObject().put("key", "gpu").put("effect", "NoSchedule");
                t.addObject().put("key", "gpu").put("value", "x").put("effect", "NoSchedule");
            }, "nodeGroups[0].taints[1]", "taint-duplicate"),
            row("role invalid", b -> group(b, 0).putArray("roles").add("Ingress Nodes"), "nodeGroups[0].roles[0]", "role-format"),
            row("GPU model not allowed", b -> group(b, 0).putArray("gpus").addObject().put("deviceName", "nvidia.com/H100"), "nodeGroups[0].gpus[0].deviceName", "gpu-not-allowed"),
            row("add-on unknown", b -> b.putObject("addons").putObject("flannel").put("enabled", true), "addons.flannel", "addon-unknown"),
            row("add-on values not an object", b -> b.putObject("addons").putObject("coredns").put("values", "replicas: 2"), "addons.coredns.values", "addon-values"),
            row("two CNIs", b -> {
                ObjectNode a = b.putObject("addons");
                a.putObject("cilium").put("enabled", true);
                a.putObject("calico").put("enabled", true);
            }, "addons", "one-cni"),
            row("scale-down time malformed", b -> b.putObject("autoscaling").put("scaleDownUnneededTime", "ten minutes"), "autoscaling.scaleDownUnneededTime", "duration-format"),
            row("utilization threshold out of range", b -> b.putObject("autoscaling").put("scaleDownUtilizationThreshold", "1.5"), "autoscaling.scaleDownUtilizationThreshold", "utilization-threshold"),
            row("expander unknown", b -> b.putObject("autoscaling").put("expander", "cheapest"), "autoscaling.expander", "expander"));
}

package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pure reading of observed MachineDeployments into {@link NodeGroup}s (DESIGN §2.1: from the annotations). */
public final class NodeGroups {
    private NodeGroups() {
    }

    /** The node groups of {@code cluster} among the observed MachineDeployments, sorted by name. */
    public static List<NodeGroup> of(String cluster, List<GenericKubernetesResource> machineDeployments) {
        return machineDeployments.stream()
                .filter(md -> cluster.equals(text(md.getAdditionalProperties().get("spec"), "clusterName")))
                .map(md -> of(cluster, md))
                .sorted(Comparator.comparing(NodeGroup::name))
                .toList();
    }

    /** Whether any of the groups autoscales, i.e. the cluster needs an autoscaler. */
    public static boolean anyAutoscaled(List<NodeGroup> groups) {
        return groups.stream().anyMatch(NodeGroup::autoscaled);
    }

    static NodeGroup of(String cluster, GenericKubernetesResource md) {
        String mdName = md.getMetadata().getName();
        Map<String, String> labels = md.getMetadata().getLabels() == null ? Map.of() : md.getMetadata().getLabels();
        String group = labels.getOrDefault(Labels.NODE_GROUP,
                mdName.startsWith(cluster + "-") ? mdName.substring(cluster.length() + 1) : mdName);
        Map<String, String> annotations = md.getMetadata().getAnnotations() == null ? Map.of()
                : md.getMetadata().getAnnotations();
        Optional<Integer> min = size(annotations.get(Labels.AUTOSCALER_MIN));
        Optional<Integer> max = size(annotations.get(Labels.AUTOSCALER_MAX));
        boolean autoscaled = min.isPresent() && max.isPresent() && min.get() <= max.get();
        Object spec = md.getAdditionalProperties().get("spec");
        Object status = md.getAdditionalProperties().get("status");
        return new NodeGroup(group, mdName, autoscaled ? min.get() : null, autoscaled ? max.get() : null,
                integer(spec, "replicas"), integer(status, "replicas"), integer(status, "readyReplicas"));
    }

    /** A size annotation as cluster-autoscaler parses it: a non-negative integer, anything else is no bound. */
    private static Optional<Integer> size(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n < 0 ? Optional.empty() : Optional.of(n);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String text(Object map, String key) {
        return map instanceof Map<?, ?> m && m.get(key) != null ? String.valueOf(m.get(key)) : null;
    }

    private static Integer integer(Object map, String key) {
        return map instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.intValue() : null;
    }
}

package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What makes a MachineDeployment roll its Machines: the fields of its machine template that Cluster API compares
 * (version, infrastructure reference, bootstrap reference). Their hash names the MachineSet of a revision.
 */
final class Revisions {

    private static final int HASH_LENGTH = 10;
    private static final int MAX_NAME = 63;
    /** Room left in a MachineSet name for the {@code -<random>} suffix of its Machines. */
    private static final int MACHINE_SUFFIX = 6;

    private Revisions() {
    }

    /** The revision hash of a machine template spec ({@code spec.template.spec} of an MD or MS). */
    static String hash(Map<String, Object> templateSpec) {
        String identity = String.join("|",
                Objects.requireNonNullElse(Fields.string(templateSpec, "version"), ""),
                ref(Fields.map(templateSpec, "infrastructureRef")),
                ref(Fields.map(templateSpec, "bootstrap", "configRef")),
                Objects.requireNonNullElse(Fields.string(templateSpec, "bootstrap", "dataSecretName"), ""));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String hash(GenericKubernetesResource deployment) {
        return hash(Fields.map(deployment, "spec", "template", "spec"));
    }

    /** The MachineSet name of a revision: {@code <deployment>-<hash>}, short enough for its Machines' names. */
    static String machineSetName(String deployment, String hash) {
        int room = MAX_NAME - MACHINE_SUFFIX - HASH_LENGTH - 1;
        String prefix = deployment.length() > room ? deployment.substring(0, room) : deployment;
        return prefix + "-" + hash;
    }

    /** A label selector as the string the scale subresource reports. */
    static String selectorString(Map<String, Object> selector) {
        Map<String, Object> matchLabels = Fields.map(selector, "matchLabels");
        return new TreeMap<>(matchLabels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** {@code [{version, replicas}]} over Machines, or {@code null} when there are none (the list has minItems 1). */
    static List<Map<String, Object>> versions(List<GenericKubernetesResource> machines) {
        Map<String, Long> counts = machines.stream()
                .map(m -> Fields.string(m, "spec", "version"))
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
        if (counts.isEmpty()) {
            return null;
        }
        return counts.entrySet().stream()
                .map(e -> Map.<String, Object>of("version", e.getKey(), "replicas", e.getValue().intValue()))
                .toList();
    }

    private static String ref(Map<String, Object> ref) {
        return ref.get("apiGroup") + "/" + ref.get("kind") + "/" + ref.get("name");
    }
}

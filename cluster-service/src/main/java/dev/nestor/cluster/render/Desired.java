package dev.nestor.cluster.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Set;

/**
 * The desired state of one cluster: objects to apply, in order, and the template names to keep
 * (desired plus those a live MachineSet references); every other template of the cluster goes.
 */
public record Desired(List<GenericKubernetesResource> objects, Set<String> keepTemplates) {
}

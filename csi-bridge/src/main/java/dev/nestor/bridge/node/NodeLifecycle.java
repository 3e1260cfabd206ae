package dev.nestor.bridge.node;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.reconcile.ClusterScope;
import dev.nestor.bridge.tenant.TenantWarnings;
import dev.nestor.events.EventTypes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud controller's node duties for one cluster: initialise new Nodes (addresses from the VMI, providerID when
 * empty, the uninitialized taint removed) and delete Nodes whose VirtualMachine is gone.
 */
public final class NodeLifecycle {

    static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(BridgeLabels.MANAGER).build();
    private static final Duration WAIT_FOR_VMI = Duration.ofSeconds(2);

    private NodeLifecycle() {
    }

    public static void reconcile(ClusterScope scope) {
        for (Node node : scope.tenant.nodes()) {
            try {
                reconcile(scope, node);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
                // The Node changed or went since the cache saw it: look again.
                scope.requeueAfter(Duration.ofMillis(200));
            }
        }
    }

    private static void reconcile(ClusterScope scope, Node node) {
        String name = node.getMetadata().getName();
        Optional<String> vmName = scope.workers.vmName(scope.namespace(), scope.name(), name);
        String initialisedFor = annotation(node, BridgeLabels.NODE_VM_UID);
        if (vmName.isEmpty()) {
            if (initialisedFor != null) {
                // The worker's Machine and VM are gone altogether.
                remove(scope, node, "its worker machine no longer exists");
            } else {
                TenantWarnings.warn(scope.tenant, node, "UnknownWorker", "Node " + name
                        + " is not a worker of this cluster: it is not initialised", scope.now);
            }
            return;
        }
        Optional<GenericKubernetesResource> vm = scope.workers.vm(scope.namespace(), scope.name(), vmName.get());
        if (vm.isEmpty()) {
            remove(scope, node, "VirtualMachine " + vmName.get() + " no longer exists");
            return;
        }
        String vmUid = vm.get().getMetadata().getUid();
        if (initialisedFor != null && !initialisedFor.equals(vmUid)) {
            remove(scope, node, "VirtualMachine " + vmName.get() + " was deleted and replaced");
            return;
        }
        String providerId = BridgeLabels.PROVIDER_PREFIX + vmName.get();
        String current = node.getSpec() == null ? null : node.getSpec().getProviderID();
        if (current != null && !current.isEmpty() && !current.equals(providerId)) {
            TenantWarnings.warn(scope.tenant, node, "ProviderIDMismatch", "Node " + name + " claims providerID "
                    + current + " but its worker is " + providerId + ": it is not initialised", scope.now);
            return;
        }
        if (initialisedFor != null && !tainted(node) && current != null && !current.isEmpty()) {
            return;
        }
        Optional<GenericKubernetesResource> vmi = scope.workers.instance(scope.namespace(), scope.name(),
                vmName.get());
        List<NodeAddress> addresses = vmi.map(i -> NodeAddresses.of(i, name)).orElse(List.of());
        if (addresses.isEmpty()) {
            // A stopped VM, or a guest that has not reported an address yet: initialise once it has.
            scope.requeueAfter(WAIT_FOR_VMI);
            return;
        }
        initialise(scope, node, providerId, vmUid, addresses);
    }

    private static void initialise(ClusterScope scope, Node node, String providerId, String vmUid,
            List<NodeAddress> addresses) {
        String name = node.getMetadata().getName();
        var nodes = scope.tenant.client().nodes().withName(name);
        nodes.subresource("status").patch(MERGE, Serialization.asJson(Map.of("status",
                Map.of("addresses", addresses))));
        Map<String, Object> spec = new LinkedHashMap<>();
        if (node.getSpec() == null || node.getSpec().getProviderID() == null
                || node.getSpec().getProviderID().isEmpty()) {
            spec.put("providerID", providerId);
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream()
                        .filter(t -> !BridgeLabels.UNINITIALIZED_TAINT.equals(t.getKey())).toList();
        spec.put("taints", taints);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", node.getMetadata().getResourceVersion());
        metadata.put("annotations", Map.of(BridgeLabels.NODE_VM_UID, vmUid));
        nodes.patch(MERGE, Serialization.asJson(Map.of("metadata", metadata, "spec", spec)));
    }

    private static void remove(ClusterScope scope, Node node, String why) {
        String name = node.getMetadata().getName();
        scope.tenant.client().nodes().resource(node).delete();
        scope.activities.record(scope.cluster, EventTypes.NODE_REMOVED, "Node", name, why);
    }

    private static boolean tainted(Node node) {
        return node.getSpec() != null && node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
                .anyMatch(t -> BridgeLabels.UNINITIALIZED_TAINT.equals(t.getKey()));
    }

    private static String annotation(Node node, String key) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}

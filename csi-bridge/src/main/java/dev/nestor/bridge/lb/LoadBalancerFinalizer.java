package dev.nestor.bridge.lb;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.tenant.TenantConnection;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The upstream service controller's finalizer on tenant LoadBalancer Services: added once csi-bridge takes charge of
 * one, removed only after its management Service was deleted, so a tenant Service deleted while no replica watched
 * still has its load balancer cleaned up.
 */
public final class LoadBalancerFinalizer {

    /** The finalizer the Kubernetes service controller (and so the KubeVirt cloud provider) uses. */
    public static final String FINALIZER = "service.kubernetes.io/load-balancer-cleanup";
    private static final Logger LOG = Logger.getLogger(LoadBalancerFinalizer.class);
    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(BridgeLabels.MANAGER).build();

    private LoadBalancerFinalizer() {
    }

    public static boolean present(Service service) {
        List<String> finalizers = service.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(FINALIZER);
    }

    /** Adds or removes the finalizer; the resourceVersion precondition makes a concurrent change a 409, not a loss. */
    static void set(TenantConnection tenant, Service service, boolean wanted) {
        if (present(service) == wanted) {
            return;
        }
        List<String> finalizers = new ArrayList<>(Objects.requireNonNullElse(service.getMetadata().getFinalizers(),
                List.of()));
        if (wanted) {
            finalizers.add(FINALIZER);
        } else {
            finalizers.remove(FINALIZER);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("finalizers", finalizers);
        metadata.put("resourceVersion", service.getMetadata().getResourceVersion());
        tenant.client().services().inNamespace(service.getMetadata().getNamespace())
                .withName(service.getMetadata().getName())
                .patch(MERGE, Serialization.asJson(Map.of("metadata", metadata)));
    }

    /**
     * The cluster is being deleted and its management Services were deleted: the bridge serves none of the tenant's
     * Services any more, so it leaves no finalizer behind. Best effort — a tenant API already gone keeps its
     * Services with it.
     */
    public static void releaseAll(TenantConnection tenant) {
        for (Service service : tenant.services()) {
            if (!present(service)) {
                continue;
            }
            try {
                set(tenant, service, false);
            } catch (RuntimeException e) {
                LOG.infof("Could not remove the load-balancer finalizer of tenant Service %s/%s: %s",
                        service.getMetadata().getNamespace(), service.getMetadata().getName(), e.toString());
                return;
            }
        }
    }
}

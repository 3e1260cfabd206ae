package dev.nestor.bridge.lb;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.reconcile.ClusterScope;
import dev.nestor.bridge.tenant.TenantWarnings;
import dev.nestor.events.EventTypes;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cloud controller's load-balancer duty for one cluster: a tenant Service of type LoadBalancer gets a management
 * LoadBalancer Service in front of the worker VMs; its ingress address is copied back into the tenant Service's
 * status (and re-synced when it changes); it is removed when the tenant Service goes or changes type. The tenant
 * Service carries the service controller's finalizer meanwhile ({@link LoadBalancerFinalizer}).
 */
public final class LoadBalancers {

    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(BridgeLabels.MANAGER).build();
    private static final Duration WAIT = Duration.ofSeconds(1);

    private LoadBalancers() {
    }

    public static void reconcile(ClusterScope scope) {
        Set<String> allowed = new LinkedHashSet<>(scope.config.loadBalancer().allowedAnnotations().orElse(List.of()));
        Map<String, Service> live = new HashMap<>();
        scope.infra.loadBalancers(scope.key()).forEach(s -> live.put(s.getMetadata().getName(), s));
        Set<String> wanted = new LinkedHashSet<>();
        Set<String> pool = null;
        for (Service tenant : scope.tenant.services()) {
            String name = LoadBalancerRenderer.name(tenant.getMetadata().getUid());
            if (!served(tenant)) {
                if (LoadBalancerFinalizer.present(tenant)) {
                    ignoringRaces(scope, () -> release(scope, tenant, live.remove(name)));
                }
                continue;
            }
            wanted.add(name);
            // The service controller's order: the finalizer first, so no management Service exists without it.
            if (!ignoringRaces(scope, () -> LoadBalancerFinalizer.set(scope.tenant, tenant, true))) {
                continue;
            }
            if (!LoadBalancerRenderer.nodePortsAllocated(tenant)) {
                scope.requeueAfter(WAIT);
                continue;
            }
            if (pool == null) {
                pool = pool(scope);
            }
            Service desired = LoadBalancerRenderer.render(scope.namespace(), scope.name(), scope.cluster.uid(), tenant,
                    pool, allowed);
            String requested = tenant.getSpec().getLoadBalancerIP();
            if (requested != null && !requested.isEmpty() && !pool.contains(requested)) {
                TenantWarnings.warn(scope.tenant, tenant, "AddressNotAllowed", "loadBalancerIP " + requested
                        + " is not in this tenant's address pool: an address is allocated instead", scope.now);
            }
            Service current = live.get(name);
            ignoringRaces(scope, () -> {
                Service applied = current;
                if (!LoadBalancerRenderer.upToDate(current, desired, allowed)) {
                    applied = scope.management.services().inNamespace(scope.namespace()).resource(desired)
                            .fieldManager(BridgeLabels.MANAGER).forceConflicts().serverSideApply();
                    if (current != null) {
                        scope.activities.record(scope.cluster, EventTypes.LOADBALANCER_UPDATED, "Service",
                                objectName(tenant), "ports of " + scope.namespace() + "/" + name + " updated");
                    }
                }
                copyIngress(scope, tenant, applied);
            });
        }
        // Management Services of tenant Services that went without the finalizer (made before it existed, or it was
        // removed by hand).
        for (Service orphan : live.values()) {
            if (!wanted.contains(orphan.getMetadata().getName())) {
                deleteManaged(scope, orphan);
            }
        }
    }

    /**
     * Whether the bridge is the tenant Service's load-balancer controller: type LoadBalancer, not being deleted, and
     * no {@code loadBalancerClass} (a class names another controller, as with the upstream service controller).
     */
    static boolean served(Service tenant) {
        return "LoadBalancer".equals(tenant.getSpec().getType()) && tenant.getSpec().getLoadBalancerClass() == null
                && tenant.getMetadata().getDeletionTimestamp() == null;
    }

    /**
     * A tenant Service the bridge no longer serves (deleted, or no longer of type LoadBalancer): its management
     * Service is deleted first, its address cleared, and only then the finalizer removed.
     */
    private static void release(ClusterScope scope, Service tenant, Service managed) {
        if (managed != null) {
            deleteManaged(scope, managed);
        }
        boolean hasIngress = tenant.getStatus() != null && tenant.getStatus().getLoadBalancer() != null
                && tenant.getStatus().getLoadBalancer().getIngress() != null
                && !tenant.getStatus().getLoadBalancer().getIngress().isEmpty();
        if (tenant.getMetadata().getDeletionTimestamp() == null && hasIngress) {
            scope.tenant.client().services().inNamespace(tenant.getMetadata().getNamespace())
                    .withName(tenant.getMetadata().getName()).subresource("status")
                    .patch(MERGE, "{\"status\":{\"loadBalancer\":{\"ingress\":null}}}");
        }
        LoadBalancerFinalizer.set(scope.tenant, tenant, false);
    }

    /** Deletes a management Service of this cluster (never one labelled for another) and reports it. */
    private static void deleteManaged(ClusterScope scope, Service managed) {
        Map<String, String> labels = managed.getMetadata().getLabels();
        if (labels == null || !scope.cluster.uid().equals(labels.get(BridgeLabels.CLUSTER_UID))) {
            return;
        }
        if (scope.management.services().inNamespace(scope.namespace()).withName(managed.getMetadata().getName())
                .delete().isEmpty()) {
            return; // already gone: reported by whoever deleted it
        }
        scope.activities.record(scope.cluster, EventTypes.LOADBALANCER_DELETED, "Service",
                labels.get(BridgeLabels.TENANT_SERVICE_NAMESPACE) + "/" + labels.get(BridgeLabels.TENANT_SERVICE_NAME),
                scope.namespace() + "/" + managed.getMetadata().getName() + " deleted");
    }

    /**
     * Runs a write for one Service; one that changed or went since the caches saw it is looked at again soon.
     *
     * @return whether the write went through
     */
    private static boolean ignoringRaces(ClusterScope scope, Runnable write) {
        try {
            write.run();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            scope.requeueAfter(Duration.ofMillis(200));
            return false;
        }
    }

    /** Copies the management ingress into the tenant Service's status when it differs. */
    private static void copyIngress(ClusterScope scope, Service tenant, Service management) {
        List<LoadBalancerIngress> ingress = management.getStatus() == null
                || management.getStatus().getLoadBalancer() == null ? List.of()
                : Objects.requireNonNullElse(management.getStatus().getLoadBalancer().getIngress(), List.of());
        if (ingress.isEmpty()) {
            // The infrastructure load balancer has not given an address yet; its informer wakes us when it does.
            return;
        }
        List<LoadBalancerIngress> current = tenant.getStatus() == null || tenant.getStatus().getLoadBalancer() == null
                ? List.of() : Objects.requireNonNullElse(tenant.getStatus().getLoadBalancer().getIngress(), List.of());
        List<Map<String, String>> wanted = ingress.stream().map(LoadBalancers::address).toList();
        if (wanted.equals(current.stream().map(LoadBalancers::address).toList())) {
            return;
        }
        scope.tenant.client().services().inNamespace(tenant.getMetadata().getNamespace())
                .withName(tenant.getMetadata().getName()).subresource("status")
                .patch(MERGE, Serialization.asJson(Map.of("status", Map.of("loadBalancer",
                        Map.of("ingress", wanted)))));
        scope.activities.record(scope.cluster, current.isEmpty() ? EventTypes.LOADBALANCER_PROVISIONED
                : EventTypes.LOADBALANCER_UPDATED, "Service", objectName(tenant), "ingress "
                        + wanted.stream().map(a -> a.values().iterator().next()).collect(Collectors.joining(",")));
    }

    private static Map<String, String> address(LoadBalancerIngress ingress) {
        return ingress.getIp() != null ? Map.of("ip", ingress.getIp())
                : Map.of("hostname", Objects.requireNonNullElse(ingress.getHostname(), ""));
    }

    /** The addresses the tenant's namespace lets it ask for ({@code nestor.dev/load-balancer-addresses}). */
    private static Set<String> pool(ClusterScope scope) {
        Namespace namespace = scope.management.namespaces().withName(scope.namespace()).get();
        Map<String, String> annotations = namespace == null ? null : namespace.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(BridgeLabels.LOAD_BALANCER_ADDRESSES);
        return value == null ? Set.of() : Arrays.stream(value.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static String objectName(Service service) {
        return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    }
}

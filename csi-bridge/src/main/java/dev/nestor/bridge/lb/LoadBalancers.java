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
 * status (and re-synced when it changes); it is removed when the tenant Service goes or changes type.
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
            if (!"LoadBalancer".equals(tenant.getSpec().getType()) || tenant.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String name = LoadBalancerRenderer.name(tenant.getMetadata().getUid());
            wanted.add(name);
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
            try {
                if (!LoadBalancerRenderer.upToDate(current, desired, allowed)) {
                    current = scope.management.services().inNamespace(scope.namespace()).resource(desired)
                            .fieldManager(BridgeLabels.MANAGER).forceConflicts().serverSideApply();
                    if (live.containsKey(name)) {
                        scope.activities.record(scope.cluster, EventTypes.LOADBALANCER_UPDATED, "Service",
                                objectName(tenant), "ports of " + scope.namespace() + "/" + name + " updated");
                    }
                }
                copyIngress(scope, tenant, current);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
                scope.requeueAfter(Duration.ofMillis(200));
            }
        }
        for (Service orphan : live.values()) {
            if (!wanted.contains(orphan.getMetadata().getName())
                    && scope.cluster.uid().equals(orphan.getMetadata().getLabels().get(BridgeLabels.CLUSTER_UID))) {
                scope.management.services().inNamespace(scope.namespace()).withName(orphan.getMetadata().getName())
                        .delete();
                Map<String, String> labels = orphan.getMetadata().getLabels();
                scope.activities.record(scope.cluster, EventTypes.LOADBALANCER_DELETED, "Service",
                        labels.get(BridgeLabels.TENANT_SERVICE_NAMESPACE) + "/"
                                + labels.get(BridgeLabels.TENANT_SERVICE_NAME),
                        scope.namespace() + "/" + orphan.getMetadata().getName() + " deleted");
            }
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

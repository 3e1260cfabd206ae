package dev.nestor.bridge.lb;

import dev.nestor.bridge.infra.BridgeLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The management LoadBalancer Service for a tenant one, as a pure function. Only ports and protocols are copied
 * (each targeting the tenant NodePort on the worker VMs), never {@code externalIPs}; {@code loadBalancerIP} only when
 * the tenant's pool holds it; annotations only from the operator's allow-list.
 */
public final class LoadBalancerRenderer {

    private static final int MAX_NAME = 32;

    private LoadBalancerRenderer() {
    }

    /** {@code a} + the tenant Service uid without dashes, cut to 32 characters (the cloud provider's name). */
    public static String name(String tenantServiceUid) {
        String name = "a" + tenantServiceUid.replace("-", "");
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    /** Whether every port of the tenant Service has its NodePort yet (the management ports target them). */
    public static boolean nodePortsAllocated(Service tenant) {
        return tenant.getSpec().getPorts() != null && !tenant.getSpec().getPorts().isEmpty()
                && tenant.getSpec().getPorts().stream().allMatch(p -> p.getNodePort() != null && p.getNodePort() > 0);
    }

    /**
     * @param pool the addresses the tenant may ask for
     * @param allowedAnnotations the annotation keys the operator lets through
     */
    public static Service render(String namespace, String cluster, String clusterUid, Service tenant, Set<String> pool,
            Set<String> allowedAnnotations) {
        Map<String, String> labels = BridgeLabels.owned(cluster);
        labels.put(BridgeLabels.CLUSTER_UID, clusterUid);
        labels.put(BridgeLabels.TENANT_SERVICE_NAME, tenant.getMetadata().getName());
        labels.put(BridgeLabels.TENANT_SERVICE_NAMESPACE, tenant.getMetadata().getNamespace());
        Map<String, String> annotations = new LinkedHashMap<>();
        if (tenant.getMetadata().getAnnotations() != null) {
            tenant.getMetadata().getAnnotations().forEach((key, value) -> {
                if (allowedAnnotations.contains(key)) {
                    annotations.put(key, value);
                }
            });
        }
        List<ServicePort> ports = new ArrayList<>();
        for (ServicePort port : tenant.getSpec().getPorts()) {
            ports.add(new ServicePortBuilder().withName(port.getName())
                    .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
                    .withPort(port.getPort()).withTargetPort(new IntOrString(port.getNodePort())).build());
        }
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(BridgeLabels.CAPI_CLUSTER_NAME, cluster);
        selector.put(BridgeLabels.CAPI_ROLE, "worker");
        String requested = tenant.getSpec().getLoadBalancerIP();
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name(tenant.getMetadata().getUid()))
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .withSelector(selector)
                .withPorts(ports)
                .withLoadBalancerIP(requested != null && pool.contains(requested) ? requested : null)
                .endSpec()
                .build();
    }

    /** Whether the live management Service already has what {@code desired} asks for (no write needed). */
    public static boolean upToDate(Service live, Service desired, Set<String> allowedAnnotations) {
        Map<String, String> liveAnnotations = new LinkedHashMap<>();
        if (live != null && live.getMetadata().getAnnotations() != null) {
            live.getMetadata().getAnnotations().forEach((key, value) -> {
                if (allowedAnnotations.contains(key)) {
                    liveAnnotations.put(key, value);
                }
            });
        }
        return live != null
                && samePorts(live.getSpec().getPorts(), desired.getSpec().getPorts())
                && desired.getSpec().getSelector().equals(live.getSpec().getSelector())
                && java.util.Objects.equals(desired.getSpec().getLoadBalancerIP(), live.getSpec().getLoadBalancerIP())
                && java.util.Objects.equals(emptyToNull(desired.getMetadata().getAnnotations()),
                        emptyToNull(liveAnnotations));
    }

    private static boolean samePorts(List<ServicePort> live, List<ServicePort> desired) {
        if (live == null || live.size() != desired.size()) {
            return false;
        }
        for (int i = 0; i < live.size(); i++) {
            ServicePort l = live.get(i);
            ServicePort d = desired.get(i);
            if (!java.util.Objects.equals(l.getName(), d.getName()) || !d.getProtocol().equals(l.getProtocol())
                    || !d.getPort().equals(l.getPort()) || !d.getTargetPort().equals(l.getTargetPort())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> emptyToNull(Map<String, String> map) {
        return map == null || map.isEmpty() ? null : map;
    }
}

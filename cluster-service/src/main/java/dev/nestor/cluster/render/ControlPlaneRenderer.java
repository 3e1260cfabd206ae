package dev.nestor.cluster.render;

import dev.nestor.cluster.model.TenantClusterSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

import static dev.nestor.support.render.Ordered.list;
import static dev.nestor.support.render.Ordered.map;

/** Renders the cluster-level objects: CAPI Cluster, KamajiControlPlane and KubevirtCluster. */
final class ControlPlaneRenderer {
    static final int KONNECTIVITY_PORT = 8132;
    static final String CLOUD_PROVIDER_EXTERNAL = "--cloud-provider=external";

    private ControlPlaneRenderer() {
    }

    static List<GenericKubernetesResource> render(RenderInput in) {
        return List.of(kubevirtCluster(in), kamajiControlPlane(in), cluster(in));
    }

    /** The CAPI Cluster; controlPlaneEndpoint is left to the control-plane provider. */
    static GenericKubernetesResource cluster(RenderInput in) {
        TenantClusterSpec spec = in.spec();
        Map<String, Object> s = map(
                "clusterNetwork", map(
                        "pods", map("cidrBlocks", list(spec.network.podCidr)),
                        "services", map("cidrBlocks", list(spec.network.serviceCidr)),
                        "serviceDomain", spec.network.serviceDomain),
                "controlPlaneRef", map("apiGroup", Kind.KAMAJI_CONTROL_PLANE.group(),
                        "kind", Kind.KAMAJI_CONTROL_PLANE.kind(), "name", Names.controlPlane(in.name())),
                "infrastructureRef", map("apiGroup", Kind.KUBEVIRT_CLUSTER.group(),
                        "kind", Kind.KUBEVIRT_CLUSTER.kind(), "name", Names.infraCluster(in.name())));
        return Obj.resource(Kind.CLUSTER, in.namespace(), Names.capiCluster(in.name()), Labels.of(in.name()), null, s);
    }

    /**
     * The Kamaji control plane: the controller-manager runs with an external cloud provider, the
     * Service type is always rendered (the CRD default would be LoadBalancer), and the rollout is
     * RollingUpdate (surge 1, one unavailable unless that is the only replica) instead of
     * Kamaji's blue/green default.
     */
    static GenericKubernetesResource kamajiControlPlane(RenderInput in) {
        var cp = in.spec().controlPlane;
        Map<String, Object> s = map(
                "version", in.controlPlaneVersion(),
                "replicas", cp.replicas,
                "dataStoreName", cp.dataStore,
                "addons", map(
                        "coreDNS", map(),
                        "konnectivity", map("server", map("port", KONNECTIVITY_PORT), "agent", map())),
                // kube-apiserver dropped --cloud-provider in 1.33; the controller-manager still needs it.
                "controllerManager", map("extraArgs", list(CLOUD_PROVIDER_EXTERNAL)),
                "kubelet", map("cgroupfs", "systemd", "preferredAddressTypes", list("InternalIP", "ExternalIP", "Hostname")),
                "network", map("serviceType", cp.serviceType),
                "deployment", map("strategy", map("type", "RollingUpdate",
                        "rollingUpdate", map("maxSurge", 1, "maxUnavailable", cp.replicas > 1 ? 1 : 0))));
        return Obj.resource(Kind.KAMAJI_CONTROL_PLANE, in.namespace(), Names.controlPlane(in.name()),
                Labels.of(in.name()), null, s);
    }

    /** Externally managed by Kamaji: CAPK creates no load balancer or SSH keys for it. */
    static GenericKubernetesResource kubevirtCluster(RenderInput in) {
        return Obj.resource(Kind.KUBEVIRT_CLUSTER, in.namespace(), Names.infraCluster(in.name()), Labels.of(in.name()),
                Map.of(Labels.CAPI_MANAGED_BY, "kamaji"), map());
    }
}

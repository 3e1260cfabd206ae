package dev.nestor.cluster.render;

import java.util.List;

/** An upstream kind cluster-service renders or reads: enough to address it without discovery. */
public record Kind(String group, String version, String kind, String plural) {
    public static final Kind CLUSTER = new Kind("cluster.x-k8s.io", "v1beta2", "Cluster", "clusters");
    public static final Kind MACHINE_DEPLOYMENT = new Kind("cluster.x-k8s.io", "v1beta2", "MachineDeployment", "machinedeployments");
    public static final Kind MACHINE_SET = new Kind("cluster.x-k8s.io", "v1beta2", "MachineSet", "machinesets");
    public static final Kind MACHINE_HEALTH_CHECK = new Kind("cluster.x-k8s.io", "v1beta2", "MachineHealthCheck", "machinehealthchecks");
    public static final Kind KAMAJI_CONTROL_PLANE = new Kind("controlplane.cluster.x-k8s.io", "v1alpha2", "KamajiControlPlane", "kamajicontrolplanes");
    public static final Kind KUBEVIRT_CLUSTER = new Kind("infrastructure.cluster.x-k8s.io", "v1alpha1", "KubevirtCluster", "kubevirtclusters");
    public static final Kind KUBEVIRT_MACHINE_TEMPLATE = new Kind("infrastructure.cluster.x-k8s.io", "v1alpha1", "KubevirtMachineTemplate", "kubevirtmachinetemplates");
    public static final Kind KUBEADM_CONFIG_TEMPLATE = new Kind("bootstrap.cluster.x-k8s.io", "v1beta2", "KubeadmConfigTemplate", "kubeadmconfigtemplates");

    /** Every kind cluster-service applies, in apply order (referenced objects before referrers). */
    public static final List<Kind> RENDERED = List.of(KUBEVIRT_CLUSTER, KAMAJI_CONTROL_PLANE, CLUSTER,
            KUBEVIRT_MACHINE_TEMPLATE, KUBEADM_CONFIG_TEMPLATE, MACHINE_DEPLOYMENT, MACHINE_HEALTH_CHECK);

    public String apiVersion() {
        return group + "/" + version;
    }

    public static Kind of(String apiVersion, String kind) {
        return RENDERED.stream().filter(k -> k.apiVersion().equals(apiVersion) && k.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a rendered kind: " + apiVersion + " " + kind));
    }
}

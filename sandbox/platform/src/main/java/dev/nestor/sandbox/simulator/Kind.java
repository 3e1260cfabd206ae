package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** A Kubernetes kind the simulator reads or writes, with what a generic client needs to address it. */
record Kind(String group, String version, String kind, String plural, boolean namespaced) {

    // Cluster API and its providers.
    static final Kind CLUSTER = capi("Cluster", "clusters");
    static final Kind MACHINE_DEPLOYMENT = capi("MachineDeployment", "machinedeployments");
    static final Kind MACHINE_SET = capi("MachineSet", "machinesets");
    static final Kind MACHINE = capi("Machine", "machines");
    static final Kind MACHINE_HEALTH_CHECK = capi("MachineHealthCheck", "machinehealthchecks");
    static final Kind KAMAJI_CONTROL_PLANE = new Kind("controlplane.cluster.x-k8s.io", "v1alpha2",
            "KamajiControlPlane", "kamajicontrolplanes", true);
    static final Kind KUBEVIRT_CLUSTER = capk("KubevirtCluster", "kubevirtclusters");
    static final Kind KUBEVIRT_MACHINE = capk("KubevirtMachine", "kubevirtmachines");
    static final Kind KUBEVIRT_MACHINE_TEMPLATE = capk("KubevirtMachineTemplate", "kubevirtmachinetemplates");
    static final Kind KUBEADM_CONFIG = kubeadm("KubeadmConfig", "kubeadmconfigs");
    static final Kind KUBEADM_CONFIG_TEMPLATE = kubeadm("KubeadmConfigTemplate", "kubeadmconfigtemplates");
    // KubeVirt.
    static final Kind VIRTUAL_MACHINE = new Kind("kubevirt.io", "v1", "VirtualMachine", "virtualmachines", true);
    static final Kind VIRTUAL_MACHINE_INSTANCE = new Kind("kubevirt.io", "v1", "VirtualMachineInstance",
            "virtualmachineinstances", true);
    // Nestor.
    static final Kind TENANT_CLUSTER = new Kind("nestor.dev", "v1alpha1", "TenantCluster", "tenantclusters", true);

    /** {@code group/version}, or just the version for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The addressing context for fabric8's generic client. */
    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(namespaced)
                .build();
    }

    private static Kind capi(String kind, String plural) {
        return new Kind("cluster.x-k8s.io", "v1beta2", kind, plural, true);
    }

    private static Kind capk(String kind, String plural) {
        return new Kind("infrastructure.cluster.x-k8s.io", "v1alpha1", kind, plural, true);
    }

    private static Kind kubeadm(String kind, String plural) {
        return new Kind("bootstrap.cluster.x-k8s.io", "v1beta2", kind, plural, true);
    }
}

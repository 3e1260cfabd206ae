package dev.nestor.bridge.infra;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The management-cluster kinds csi-bridge reads or writes besides core ones. */
public final class InfraKinds {

    public static final ResourceDefinitionContext MACHINE = context("cluster.x-k8s.io", "v1beta2", "Machine",
            "machines");
    public static final ResourceDefinitionContext KUBEVIRT_MACHINE = context("infrastructure.cluster.x-k8s.io",
            "v1alpha1", "KubevirtMachine", "kubevirtmachines");
    public static final ResourceDefinitionContext VIRTUAL_MACHINE = context("kubevirt.io", "v1", "VirtualMachine",
            "virtualmachines");
    public static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCE = context("kubevirt.io", "v1",
            "VirtualMachineInstance", "virtualmachineinstances");
    public static final ResourceDefinitionContext DATA_VOLUME = context("cdi.kubevirt.io", "v1beta1", "DataVolume",
            "datavolumes");

    private InfraKinds() {
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}

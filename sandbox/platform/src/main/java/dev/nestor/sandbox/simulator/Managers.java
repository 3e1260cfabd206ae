package dev.nestor.sandbox.simulator;

/** The field managers of the simulated controllers, one per upstream controller process. */
final class Managers {

    /** Cluster API core (Cluster, MachineDeployment, MachineSet, Machine, MachineHealthCheck controllers). */
    static final String CAPI = "capi-controller";
    /** The kubeadm bootstrap provider. */
    static final String KUBEADM_BOOTSTRAP = "capi-kubeadm-bootstrap-controller";
    /** Kamaji and its Cluster API control-plane provider. */
    static final String KAMAJI = "kamaji-cp-provider";
    /** The KubeVirt infrastructure provider. */
    static final String CAPK = "capk";
    /** KubeVirt's virt-controller (VM and VMI status). */
    static final String KUBEVIRT = "virt-controller";
    /** The kubelets of the tenant cluster. */
    static final String KUBELET = "kubelet";

    private Managers() {
    }
}

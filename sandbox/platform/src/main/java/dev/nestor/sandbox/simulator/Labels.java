package dev.nestor.sandbox.simulator;

/** Label, annotation and finalizer keys the upstream controllers use. */
final class Labels {

    static final String CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";
    static final String DEPLOYMENT_NAME = "cluster.x-k8s.io/deployment-name";
    static final String SET_NAME = "cluster.x-k8s.io/set-name";
    static final String TEMPLATE_HASH = "machine-template-hash";
    static final String NESTOR_CLUSTER = "nestor.dev/cluster";

    static final String REVISION = "machinedeployment.clusters.x-k8s.io/revision";
    static final String DESIRED_REPLICAS = "machinedeployment.clusters.x-k8s.io/desired-replicas";
    static final String MAX_REPLICAS = "machinedeployment.clusters.x-k8s.io/max-replicas";
    static final String DELETE_MACHINE = "cluster.x-k8s.io/delete-machine";
    static final String SKIP_PREFLIGHT = "machineset.cluster.x-k8s.io/skip-preflight-checks";
    static final String CLONED_FROM_NAME = "cluster.x-k8s.io/cloned-from-name";
    static final String CLONED_FROM_GROUP_KIND = "cluster.x-k8s.io/cloned-from-groupkind";

    static final String CLUSTER_FINALIZER = "cluster.cluster.x-k8s.io";
    static final String MACHINE_FINALIZER = "machine.cluster.x-k8s.io";
    static final String KUBEVIRT_MACHINE_FINALIZER = "kubevirtmachine.infrastructure.cluster.x-k8s.io";

    private Labels() {
    }
}

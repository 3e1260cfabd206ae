package dev.nestor.sandbox.simulator;

import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.NAMESPACE;
import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scaling, a control-plane upgrade, a rolling update of workers, and deletion in Cluster API's order. */
class ClusterLifecycleTest {

    private static final List<Kind> CLUSTER_KINDS = List.of(Kind.CLUSTER, Kind.KAMAJI_CONTROL_PLANE,
            Kind.KUBEVIRT_CLUSTER, Kind.MACHINE_DEPLOYMENT, Kind.MACHINE_SET, Kind.MACHINE, Kind.MACHINE_HEALTH_CHECK,
            Kind.KUBEADM_CONFIG, Kind.KUBEVIRT_MACHINE, Kind.VIRTUAL_MACHINE, Kind.VIRTUAL_MACHINE_INSTANCE,
            Kind.KUBEVIRT_MACHINE_TEMPLATE, Kind.KUBEADM_CONFIG_TEMPLATE);

    @TempDir
    static Path crds;
    static SimulatedManagementCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = new SimulatedManagementCluster(crds);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void scalingAddsAndRemovesMachinesAndNodes() {
        sandbox.createCluster("scale");
        eventually().until(() -> condition(sandbox.get(Kind.CLUSTER, "scale"), "Available"));

        // What cluster-autoscaler does: the scale subresource of the autoscaled group.
        deployments().withName("scale-auto").scale(3);
        eventually().untilAsserted(() -> {
            GenericKubernetesResource md = sandbox.get(Kind.MACHINE_DEPLOYMENT, "scale-auto");
            assertThat(Fields.integer(md, "status", "readyReplicas")).contains(3);
            assertThat(condition(md, "ScalingUp")).isFalse();
            assertThat(tenantNodes("scale")).hasSize(5);
        });

        deployments().withName("scale-auto").scale(1);
        eventually().untilAsserted(() -> {
            assertThat(sandbox.machinesOf("scale-auto")).hasSize(1);
            assertThat(Fields.integer(sandbox.get(Kind.MACHINE_DEPLOYMENT, "scale-auto"), "status", "replicas"))
                    .contains(1);
            assertThat(tenantNodes("scale")).hasSize(3);
            assertThat(sandbox.ofCluster(Kind.VIRTUAL_MACHINE, "scale")).hasSize(3);
        });
        assertThat(condition(sandbox.get(Kind.CLUSTER, "scale"), "Available")).isTrue();
    }

    @Test
    void upgradeMovesTheControlPlaneFirstThenRollsWorkersOneAtATime() {
        sandbox.createCluster("roll");
        eventually().until(() -> condition(sandbox.get(Kind.CLUSTER, "roll"), "Available"));
        String oldMachineSet = sandbox.ofCluster(Kind.MACHINE_SET, "roll").stream()
                .filter(ms -> ms.getMetadata().getName().startsWith("roll-md0")).findFirst().orElseThrow()
                .getMetadata().getName();

        mergePatch(Kind.KAMAJI_CONTROL_PLANE, "roll", Map.of("spec", Map.of("version", "v1.34.1")));
        eventually().untilAsserted(() -> {
            GenericKubernetesResource kcp = sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "roll");
            assertThat(Fields.string(kcp, "status", "version")).isEqualTo("v1.34.1");
            assertThat(Fields.isTrue(kcp, "status", "ready")).isTrue();
        });

        // As cluster-service does: a new (immutable) template and the new version in one patch.
        Map<String, String> values = new java.util.HashMap<>(SimulatedManagementCluster.values("roll", "e5f6a7b8"));
        values.put("VERSION", "v1.34.1");
        sandbox.apply("fixtures/infra-template.yaml", values);
        Set<String> live = ConcurrentHashMap.newKeySet();
        AtomicInteger most = new AtomicInteger();
        try (Watch watch = machines().withLabel(Labels.DEPLOYMENT_NAME, "roll-md0")
                .watch(new CountingWatcher(live, most))) {
            mergePatch(Kind.MACHINE_DEPLOYMENT, "roll-md0", Map.of("spec", Map.of("template", Map.of("spec", Map.of(
                    "version", "v1.34.1",
                    "infrastructureRef", Map.of("apiGroup", "infrastructure.cluster.x-k8s.io",
                            "kind", "KubevirtMachineTemplate", "name", "roll-md0-e5f6a7b8"))))));
            eventually().untilAsserted(() -> {
                GenericKubernetesResource md = sandbox.get(Kind.MACHINE_DEPLOYMENT, "roll-md0");
                assertThat(Fields.integer(md, "status", "observedGeneration"))
                        .contains(md.getMetadata().getGeneration().intValue());
                assertThat(Fields.integer(md, "status", "upToDateReplicas")).contains(2);
                assertThat(Fields.integer(md, "status", "availableReplicas")).contains(2);
                assertThat(condition(md, "RollingOut")).isFalse();
                List<GenericKubernetesResource> machines = sandbox.machinesOf("roll-md0");
                assertThat(machines).hasSize(2).allSatisfy(m ->
                        assertThat(Fields.string(m, "spec", "version")).isEqualTo("v1.34.1"));
                assertThat(sandbox.get(Kind.MACHINE_SET, oldMachineSet)).as("old MachineSet").isNull();
            });
        }
        assertThat(most.get()).as("machines of md0 at once (2 replicas, maxSurge 1)").isEqualTo(3);
        for (GenericKubernetesResource kvm : sandbox.ofCluster(Kind.KUBEVIRT_MACHINE, "roll")) {
            if (kvm.getMetadata().getName().startsWith("roll-md0")) {
                assertThat(kvm.getMetadata().getAnnotations())
                        .containsEntry("cluster.x-k8s.io/cloned-from-name", "roll-md0-e5f6a7b8");
            }
        }
        assertThat(tenantNodes("roll")).hasSize(3);
    }

    @Test
    void deletingTheClusterRemovesEverythingInOrderAndTheFinalizerLast() {
        sandbox.createCluster("gone");
        eventually().until(() -> condition(sandbox.get(Kind.CLUSTER, "gone"), "Available"));
        assertThat(sandbox.simulator.runningTenantClusters()).contains(new ClusterKey(NAMESPACE, "gone"));

        List<String> deletions = new CopyOnWriteArrayList<>();
        List<String> phases = new CopyOnWriteArrayList<>();
        List<Watch> watches = new ArrayList<>();
        for (Kind kind : CLUSTER_KINDS) {
            watches.add(sandbox.client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE)
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource object) {
                            String name = object.getMetadata().getName();
                            if (!name.startsWith("gone")) {
                                return;
                            }
                            if (action == Action.DELETED) {
                                deletions.add(kind.kind() + "/" + name);
                            } else if (kind.equals(Kind.CLUSTER)) {
                                phases.add(String.valueOf(Fields.string(object, "status", "phase")));
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            // Closed at the end of the test.
                        }
                    }));
        }
        try {
            sandbox.client.genericKubernetesResources(Kind.CLUSTER.context()).inNamespace(NAMESPACE)
                    .withName("gone").delete();

            eventually().untilAsserted(() -> {
                assertThat(sandbox.get(Kind.CLUSTER, "gone")).isNull();
                for (Kind kind : CLUSTER_KINDS) {
                    assertThat(sandbox.list(kind)).as(kind.kind())
                            .noneMatch(o -> o.getMetadata().getName().startsWith("gone"));
                }
            });
            assertThat(sandbox.client.secrets().inNamespace(NAMESPACE).list().getItems())
                    .noneMatch(s -> s.getMetadata().getName().startsWith("gone"));
            assertThat(sandbox.simulator.runningTenantClusters()).doesNotContain(new ClusterKey(NAMESPACE, "gone"));
        } finally {
            watches.forEach(Watch::close);
        }
        assertThat(phases).contains("Deleting");
        int cluster = deletions.indexOf("Cluster/gone");
        int controlPlane = deletions.indexOf("KamajiControlPlane/gone");
        int infrastructure = deletions.indexOf("KubevirtCluster/gone");
        int lastMachine = lastIndexOf(deletions, "Machine/");
        assertThat(lastMachine).as("machines deleted").isGreaterThanOrEqualTo(0);
        assertThat(controlPlane).as("control plane after the workers: " + deletions).isGreaterThan(lastMachine);
        assertThat(infrastructure).as("infrastructure after the control plane: " + deletions)
                .isGreaterThan(controlPlane);
        assertThat(cluster).as("Cluster after its infrastructure: " + deletions).isGreaterThan(infrastructure);
    }

    private static int lastIndexOf(List<String> deletions, String prefix) {
        int last = -1;
        for (int i = 0; i < deletions.size(); i++) {
            if (deletions.get(i).startsWith(prefix)) {
                last = i;
            }
        }
        return last;
    }

    private static List<?> tenantNodes(String cluster) {
        try (KubernetesClient tenant = sandbox.tenantClient(cluster)) {
            return tenant.nodes().list().getItems();
        }
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> deployments() {
        return sandbox.client.genericKubernetesResources(Kind.MACHINE_DEPLOYMENT.context()).inNamespace(NAMESPACE);
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> machines() {
        return sandbox.client.genericKubernetesResources(Kind.MACHINE.context()).inNamespace(NAMESPACE);
    }

    private static void mergePatch(Kind kind, String name, Map<String, Object> patch) {
        sandbox.client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE).withName(name).patch(
                new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                        .withFieldManager(SimulatedManagementCluster.MANAGER).build(), Api.json(patch));
    }

    /** Tracks the Machines that exist and are not being deleted, and the most seen at once. */
    private record CountingWatcher(Set<String> live, AtomicInteger most) implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource machine) {
            String name = machine.getMetadata().getName();
            if (action == Action.DELETED || Fields.deleting(machine)) {
                live.remove(name);
            } else {
                live.add(name);
            }
            most.accumulateAndGet(live.size(), Math::max);
        }

        @Override
        public void onClose(WatcherException cause) {
            // Closed at the end of the test.
        }
    }
}

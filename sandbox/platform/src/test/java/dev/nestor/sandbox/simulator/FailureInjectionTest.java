package dev.nestor.sandbox.simulator;

import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotation {@code sandbox.nestor.dev/fail} on a TenantCluster makes its simulated cluster fail as asked. */
class FailureInjectionTest {

    /** Far longer than a healthy cluster needs with the fast timings, so "never" is meaningful. */
    private static final Duration NEVER = Duration.ofSeconds(3);

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

    @Test
    void controlPlaneFailureKeepsTheControlPlaneUnavailableWithAHardError() {
        sandbox.tenantCluster("cp-fails", "control-plane");
        sandbox.createCluster("cp-fails");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> conditions =
                    Fields.list(sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "cp-fails"), "status", "conditions");
            assertThat(Conditions.find(conditions, "TenantControlPlaneCreated")).hasValueSatisfying(c -> {
                assertThat(c.get("status")).isEqualTo("False");
                assertThat(c.get("reason")).isEqualTo("Pending");
                assertThat(c.get("message").toString()).contains("control-plane");
            });
        });
        await().during(NEVER).atMost(NEVER.plusSeconds(5)).until(() -> {
            GenericKubernetesResource kcp = sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "cp-fails");
            return !condition(kcp, "Available") && !Fields.isTrue(kcp, "status", "ready")
                    && !condition(sandbox.get(Kind.CLUSTER, "cp-fails"), "ControlPlaneAvailable")
                    && sandbox.ofCluster(Kind.MACHINE, "cp-fails").isEmpty();
        });
    }

    @Test
    void workerVmFailureLeavesMachinesUnreadyWithVmCreateFailed() {
        sandbox.tenantCluster("vm-fails", "worker-vm");
        sandbox.createCluster("vm-fails");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<GenericKubernetesResource> infra = sandbox.ofCluster(Kind.KUBEVIRT_MACHINE, "vm-fails");
            assertThat(infra).hasSize(3).allSatisfy(kvm -> assertThat(
                    Conditions.find(Fields.list(kvm, "status", "conditions"), "VMProvisioned"))
                    .hasValueSatisfying(c -> {
                        assertThat(c.get("status")).isEqualTo("False");
                        assertThat(c.get("reason")).isEqualTo("VMCreateFailed");
                    }));
        });
        // The control plane is fine; only the workers never come up.
        assertThat(condition(sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "vm-fails"), "Available")).isTrue();
        await().during(NEVER).atMost(NEVER.plusSeconds(5)).until(() ->
                sandbox.ofCluster(Kind.MACHINE, "vm-fails").stream().noneMatch(m -> condition(m, "Ready"))
                        && sandbox.ofCluster(Kind.VIRTUAL_MACHINE, "vm-fails").isEmpty()
                        && !condition(sandbox.get(Kind.MACHINE_DEPLOYMENT, "vm-fails-md0"), "Available"));
        GenericKubernetesResource machine = sandbox.ofCluster(Kind.MACHINE, "vm-fails").get(0);
        assertThat(Conditions.message(Fields.list(machine, "status", "conditions"), "InfrastructureReady"))
                .contains("VMCreateFailed");
    }

    @Test
    void clusterWithoutTheAnnotationIsHealthy() {
        sandbox.tenantCluster("healthy", null);
        sandbox.createCluster("healthy");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> condition(sandbox.get(Kind.CLUSTER, "healthy"), "Available"));
    }

    @Test
    void tenantApiFailureStopsTheTenantApiServerAndLeavesItsKubeconfig() {
        sandbox.tenantCluster("api-down", null);
        sandbox.createCluster("api-down");
        ClusterKey key = new ClusterKey(SimulatedManagementCluster.NAMESPACE, "api-down");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.simulator.runningTenantClusters().contains(key)
                && sandbox.client.secrets().inNamespace(key.namespace()).withName("api-down-admin-kubeconfig").get() != null);

        sandbox.tenantCluster("api-down", "tenant-api");
        await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox.simulator.runningTenantClusters().contains(key)
                && !condition(sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "api-down"), "Available"));
        await().during(NEVER).atMost(NEVER.plusSeconds(5)).until(() ->
                !sandbox.simulator.runningTenantClusters().contains(key));
        assertThat(sandbox.client.secrets().inNamespace(key.namespace()).withName("api-down-admin-kubeconfig").get())
                .as("the kubeconfig still names the stopped server").isNotNull();
    }
}

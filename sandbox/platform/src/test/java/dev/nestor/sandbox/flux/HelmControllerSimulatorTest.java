package dev.nestor.sandbox.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated helm-controller against real sandbox API servers: a management one validating Flux's schemas
 * (statuses included) and one tenant API server per test cluster, reached through a kubeconfig Secret.
 */
class HelmControllerSimulatorTest {
    static final String NS = "tenant-acme";
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final FluxTimings FAST = new FluxTimings(Duration.ofMillis(150), Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(5));
    static final AtomicInteger CLUSTERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static ApiServer management;
    static KubernetesClient client;
    static HelmControllerSimulator controller;

    @BeforeAll
    static void start() {
        assumeTrue(ReactorPaths.upstreamCrds().isPresent(), "../shared/crds is absent: no Flux kinds to serve");
        management = ApiServer.builder().port(0).crds(ReactorPaths.root().resolve("deploy").resolve("crds"))
                .upstreamSchemas(ReactorPaths.upstreamCrds().get()).start();
        client = management.newClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        controller = new HelmControllerSimulator(management.newClient(), FAST);
        controller.start();
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
            client.close();
            management.close();
        }
    }

    /** A tenant cluster: its API server and the kubeconfig Secret Kamaji would write. */
    record Tenant(String cluster, ApiServer server, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    static Tenant tenant(String annotation) throws Exception {
        String cluster = "flux-" + CLUSTERS.incrementAndGet();
        ApiServer server = ApiServer.builder().port(0).upstreamKinds(false).start();
        Path kubeconfig = server.writeKubeconfig(dir.resolve(cluster + ".kubeconfig"));
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(cluster + "-admin-kubeconfig")
                .withNamespace(NS).endMetadata().addToData("super-admin.svc",
                        Base64.getEncoder().encodeToString(Files.readString(kubeconfig).getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        String annotations = annotation == null ? "" : ",\"annotations\":{\"sandbox.nestor.dev/fail\":\"" + annotation + "\"}";
        client.genericKubernetesResources(HelmControllerSimulator.TENANT_CLUSTER).inNamespace(NS).resource(JSON.unmarshal("""
                {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"%s","namespace":"%s"%s},
                 "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","minReplicas":1,"maxReplicas":1}]}}"""
                .formatted(cluster, NS, annotations), GenericKubernetesResource.class)).create();
        return new Tenant(cluster, server, server.newClient());
    }

    /** A HelmRelease as addon-service renders it (short form). */
    static void release(Tenant tenant, String addon, String targetNamespace, String... dependsOn) {
        release(tenant, addon, targetNamespace, false, dependsOn);
    }

    static void release(Tenant tenant, String addon, String targetNamespace, boolean suspend, String... dependsOn) {
        StringBuilder deps = new StringBuilder();
        for (String d : dependsOn) {
            deps.append(deps.isEmpty() ? "" : ",").append("{\"name\":\"").append(tenant.cluster()).append('-').append(d).append("\"}");
        }
        client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS).resource(JSON.unmarshal("""
                {"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease",
                 "metadata":{"name":"%1$s-%2$s","namespace":"%3$s","labels":{"nestor.dev/cluster":"%1$s","nestor.dev/addon":"%2$s"}},
                 "spec":{"interval":"5m","releaseName":"%2$s","targetNamespace":"%4$s","storageNamespace":"%4$s",
                         "kubeConfig":{"secretRef":{"name":"%1$s-admin-kubeconfig","key":"super-admin.svc"}},
                         "chart":{"spec":{"chart":"%2$s","version":"1.2.3","sourceRef":{"kind":"HelmRepository","name":"%1$s-%2$s"}}},
                         "install":{"createNamespace":true},"dependsOn":[%5$s],"values":{"answer":42},"suspend":%6$s}}"""
                .formatted(tenant.cluster(), addon, NS, targetNamespace, deps, suspend), GenericKubernetesResource.class)).create();
    }

    static GenericKubernetesResource get(Tenant tenant, String addon) {
        return client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS)
                .withName(tenant.cluster() + "-" + addon).get();
    }

    static Map<String, Object> condition(GenericKubernetesResource release, String type) {
        return Objects.list(release, "status", "conditions").stream().filter(c -> type.equals(c.get("type")))
                .findFirst().orElse(Map.of());
    }

    static Instant readyAt(GenericKubernetesResource release) {
        return Instant.parse(condition(release, "Ready").get("lastTransitionTime").toString());
    }

    @Test
    void releasesInstallInDependencyOrderAndLeaveATraceInTheTenant() throws Exception {
        try (Tenant tenant = tenant(null)) {
            release(tenant, "coredns", "kube-system", "cilium");
            release(tenant, "cilium", "kube-system");
            await().atMost(Duration.ofSeconds(20)).until(() -> HelmControllerSimulator.ready(get(tenant, "coredns")));
            GenericKubernetesResource cilium = get(tenant, "cilium");
            GenericKubernetesResource coredns = get(tenant, "coredns");
            assertThat(readyAt(coredns)).isAfterOrEqualTo(readyAt(cilium));
            assertThat(condition(coredns, "Released")).containsEntry("reason", "InstallSucceeded");
            assertThat(Objects.list(coredns, "status", "history")).singleElement()
                    .satisfies(h -> assertThat(h).containsEntry("chartVersion", "1.2.3").containsEntry("status", "deployed"));
            assertThat(coredns.getMetadata().getFinalizers()).contains(HelmControllerSimulator.FINALIZER);

            ConfigMap trace = tenant.client().configMaps().inNamespace("kube-system").withName("helm-release-coredns").get();
            assertThat(trace.getData()).containsEntry("chart", "coredns").containsEntry("version", "1.2.3")
                    .containsEntry("values", "{\"answer\":42}");

            // A spec change is an upgrade: revision 2 in the tenant.
            client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS)
                    .withName(tenant.cluster() + "-coredns").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"spec\":{\"values\":{\"answer\":43}}}");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GenericKubernetesResource upgraded = get(tenant, "coredns");
                assertThat(HelmControllerSimulator.ready(upgraded)).isTrue();
                assertThat(condition(upgraded, "Released")).containsEntry("reason", "UpgradeSucceeded");
            });
            assertThat(tenant.client().configMaps().inNamespace("kube-system").withName("helm-release-coredns").get()
                    .getData()).containsEntry("revision", "2");
        }
    }

    @Test
    void anInjectedFailureFailsTheInstallUntilItIsLifted() throws Exception {
        try (Tenant tenant = tenant("worker-vm,addon:ingress-nginx")) {
            release(tenant, "ingress-nginx", "ingress-nginx");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GenericKubernetesResource failing = get(tenant, "ingress-nginx");
                assertThat(condition(failing, "Ready")).containsEntry("status", "False").containsEntry("reason", "InstallFailed");
                assertThat(condition(failing, "Released")).containsEntry("reason", "InstallFailed");
                assertThat(condition(failing, "Ready").get("message").toString()).contains("addon:ingress-nginx");
                assertThat(Objects.number(failing, 0, "status", "installFailures")).isPositive();
            });
            assertThat(tenant.client().namespaces().withName("ingress-nginx").get()).isNull();

            client.genericKubernetesResources(HelmControllerSimulator.TENANT_CLUSTER).inNamespace(NS).withName(tenant.cluster())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"sandbox.nestor.dev/fail\":\"worker-vm\"}}}");
            await().atMost(Duration.ofSeconds(20)).until(() -> HelmControllerSimulator.ready(get(tenant, "ingress-nginx")));
            assertThat(tenant.client().configMaps().inNamespace("ingress-nginx").withName("helm-release-ingress-nginx").get())
                    .isNotNull();
        }
    }

    @Test
    void aDeletedReleaseUninstallsAndIsStuckOnlyWhileTheTenantIsUnreachableAndNotSuspended() throws Exception {
        Tenant tenant = tenant(null);
        release(tenant, "metrics-server", "kube-system");
        release(tenant, "velero", "velero");
        await().atMost(Duration.ofSeconds(20)).until(() -> HelmControllerSimulator.ready(get(tenant, "metrics-server"))
                && HelmControllerSimulator.ready(get(tenant, "velero")));

        // Reachable: Flux uninstalls (the trace goes, the namespace stays) and lets the release go.
        client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS)
                .withName(tenant.cluster() + "-velero").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(tenant, "velero") == null);
        assertThat(tenant.client().configMaps().inNamespace("velero").withName("helm-release-velero").get()).isNull();
        assertThat(tenant.client().namespaces().withName("velero").get()).isNotNull();

        // Unreachable: stuck on Flux's finalizer, retrying.
        tenant.close();
        client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS)
                .withName(tenant.cluster() + "-metrics-server").delete();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            GenericKubernetesResource stuck = get(tenant, "metrics-server");
            return stuck != null && stuck.getMetadata().getDeletionTimestamp() != null;
        });
        // Suspended: let go at once, without reaching the tenant.
        client.genericKubernetesResources(HelmControllerSimulator.HELM_RELEASE).inNamespace(NS)
                .withName(tenant.cluster() + "-metrics-server").patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"suspend\":true}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(tenant, "metrics-server") == null);
    }

    @Test
    void aSuspendedReleaseIsLeftAlone() throws Exception {
        try (Tenant tenant = tenant(null)) {
            release(tenant, "gpu-operator", "gpu-operator", true);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                    !HelmControllerSimulator.ready(get(tenant, "gpu-operator")));
            assertThat(tenant.client().namespaces().withName("gpu-operator").get()).isNull();
        }
    }
}

package dev.nestor.addon.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.addon.apply.Kinds;
import dev.nestor.addon.apply.Releases;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.render.Labels;
import dev.nestor.events.EventTypes;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonState.State;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reconciler against a real sandbox management API server (Flux's schemas, the TenantCluster CRD), with the
 * HelmRelease statuses written by the test as helm-controller would: apply once the control plane is ready, states
 * from Flux's conditions, removal of a switched-off add-on, and a teardown that suspends, deletes and, past the
 * deadline, strips Flux's finalizer.
 */
class AddonReconcilerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "tenant-acme";
    static final AtomicInteger CLUSTERS = new AtomicInteger();
    static ApiServer server;
    static KubernetesClient client;

    record Report(String type, AddonStateReport report) {
        Map<String, State> states() {
            return report.addons().stream().collect(Collectors.toMap(AddonState::name, AddonState::state));
        }
    }

    final List<Report> reports = new ArrayList<>();
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    AddonReconciler reconciler;

    @BeforeAll
    static void start() {
        assumeTrue(ReactorPaths.upstreamCrds().isPresent(), "../shared/crds is absent: no Flux kinds to serve");
        server = ApiServer.builder().crds(ReactorPaths.root().resolve("deploy").resolve("crds"))
                .upstreamSchemas(ReactorPaths.upstreamCrds().get()).start();
        client = server.newClient();
        ApiServerResource.onboard(client, "acme");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
            server.close();
        }
    }

    AddonReconciler reconciler() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        Releases releases = new Releases(client);
        return new AddonReconciler(AddonCatalog.load(), releases, key -> Optional.empty(),
                (key, object) -> dev.nestor.support.feed.TenantClusterPresence.goneOrDeleting(client, NS,
                        object.getMetadata().getLabels().get(Labels.CLUSTER),
                        object.getMetadata().getLabels().get(Labels.CLUSTER_UID)),
                (type, report) -> {
                    reports.add(new Report(type, report));
                    return CompletableFuture.completedFuture(null);
                }, clock, Duration.ofMinutes(1), Duration.ofSeconds(90));
    }

    static String newCluster(String addons) throws Exception {
        String name = "addons-" + CLUSTERS.incrementAndGet();
        var tc = JSON.readValue("""
                {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","minReplicas":1,"maxReplicas":1}],"addons":%s}}"""
                .formatted(name, NS, addons), GenericKubernetesResource.class);
        client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).resource(tc).create();
        return name;
    }

    static void controlPlaneReady(String name) {
        client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(name).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
                        "{\"status\":{\"kubeconfigSecretName\":\"" + name + "-admin-kubeconfig\",\"endpoint\":\"https://10.1.2.3:6443\"}}");
    }

    static void setAddons(String name, String addons) {
        client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(name)
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
                        "{\"spec\":{\"addons\":" + addons + "}}");
    }

    /** What helm-controller writes: a condition set valid against the HelmRelease schema. */
    static void fluxSays(String release, String status, String reason, String message) {
        GenericKubernetesResource hr = client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withName(release).get();
        long generation = hr.getMetadata().getGeneration();
        String condition = """
                {"type":"%s","status":"%s","reason":"%s","message":"%s","lastTransitionTime":"2026-11-25T12:00:00Z","observedGeneration":%d}""";
        String conditions = condition.formatted("Ready", status, reason, message, generation);
        if (reason.startsWith("Install")) {
            // Released is set by an install attempt only, not while a dependency holds the release back.
            conditions += "," + condition.formatted("Released", status, reason, message, generation);
        }
        String body = """
                {"status":{"observedGeneration":%d,"conditions":[%s],
                 "history":[{"chartName":"x","chartVersion":"9.9.9","configDigest":"sha256:0","digest":"sha256:0",
                  "firstDeployed":"2026-11-25T12:00:00Z","lastDeployed":"2026-11-25T12:00:00Z","name":"x","namespace":"x","status":"deployed","version":1}]}}"""
                .formatted(generation, conditions);
        client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withName(release).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), body);
    }

    static List<String> releaseNames(String cluster) {
        return client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS)
                .withLabels(Labels.ofCluster(cluster)).list().getItems().stream()
                .map(r -> r.getMetadata().getName()).sorted().toList();
    }

    Report last() {
        return reports.get(reports.size() - 1);
    }

    @Test
    void installsOnceTheControlPlaneIsReadyAndReportsWhatFluxSays() throws Exception {
        reconciler = reconciler();
        String name = newCluster("{\"cert-manager\":{\"enabled\":true}}");
        String key = NS + "/" + name;

        reconciler.reconcile(key);
        assertThat(releaseNames(name)).as("nothing before the admin kubeconfig exists").isEmpty();
        assertThat(last().type()).isEqualTo(EventTypes.ADDON_INSTALLING);
        assertThat(last().states()).containsOnlyKeys("cilium", "coredns", "kubevirt-csi-node", "metrics-server", "cert-manager")
                .allSatisfy((addon, state) -> assertThat(state).isEqualTo(State.Pending));
        assertThat(last().report().addons()).allMatch(AddonState::required);

        controlPlaneReady(name);
        assertThat(reconciler.reconcile(key)).isPresent();
        assertThat(releaseNames(name)).containsExactly(name + "-cert-manager", name + "-cilium", name + "-coredns",
                name + "-kubevirt-csi-node", name + "-metrics-server");
        assertThat(client.genericKubernetesResources(Kinds.OCI_REPOSITORY).inNamespace(NS).withName(name + "-cert-manager").get()).isNotNull();
        assertThat(client.genericKubernetesResources(Kinds.HELM_REPOSITORY).inNamespace(NS).withName(name + "-cilium").get()).isNotNull();

        fluxSays(name + "-cilium", "True", "InstallSucceeded", "Helm install succeeded");
        fluxSays(name + "-coredns", "False", "DependencyNotReady", "dependency 'tenant-acme/" + name + "-cilium' is not ready");
        fluxSays(name + "-cert-manager", "False", "InstallFailed", "timed out waiting for the condition");
        reconciler.reconcile(key);
        assertThat(last().type()).isEqualTo(EventTypes.ADDON_FAILED);
        assertThat(last().states()).containsEntry("cilium", State.Installed).containsEntry("coredns", State.Installing)
                .containsEntry("cert-manager", State.Failed);
        AddonState failed = last().report().addons().stream().filter(a -> a.name().equals("cert-manager")).findFirst().orElseThrow();
        assertThat(failed.message()).contains("InstallFailed").contains("timed out");
        assertThat(last().report().addons().stream().filter(a -> a.name().equals("cilium")).findFirst().orElseThrow().version())
                .isEqualTo("9.9.9");

        for (String addon : List.of("coredns", "kubevirt-csi-node", "metrics-server", "cert-manager")) {
            fluxSays(name + "-" + addon, "True", "InstallSucceeded", "Helm install succeeded");
        }
        assertThat(reconciler.reconcile(key)).isEmpty();
        assertThat(last().type()).isEqualTo(EventTypes.ADDON_INSTALLED);

        // Nothing changed: no second report until the resync period has passed, then the same view again.
        int sent = reports.size();
        reconciler.reconcile(key);
        assertThat(reports).hasSize(sent);
        now = now.plus(Duration.ofMinutes(2));
        reconciler.reconcile(key);
        assertThat(reports).hasSize(sent + 1);
        assertThat(last().states()).isEqualTo(reports.get(sent - 1).states());
    }

    @Test
    void aSwitchedOffAddonIsUninstalledAndReportedRemoved() throws Exception {
        reconciler = reconciler();
        String name = newCluster("{\"ingress-nginx\":{\"enabled\":true}}");
        String key = NS + "/" + name;
        controlPlaneReady(name);
        reconciler.reconcile(key);
        releaseNames(name).forEach(r -> fluxSays(r, "True", "InstallSucceeded", "ok"));
        reconciler.reconcile(key);
        assertThat(last().states()).containsEntry("ingress-nginx", State.Installed);

        setAddons(name, "{\"ingress-nginx\":{\"enabled\":false}}");
        reconciler.reconcile(key);
        assertThat(releaseNames(name)).doesNotContain(name + "-ingress-nginx");
        assertThat(client.genericKubernetesResources(Kinds.HELM_REPOSITORY).inNamespace(NS).withName(name + "-ingress-nginx").get()).isNull();
        reconciler.reconcile(key);
        assertThat(last().type()).isEqualTo(EventTypes.ADDON_REMOVED);
        assertThat(last().states()).containsEntry("ingress-nginx", State.Removed).containsEntry("cilium", State.Installed);
        assertThat(last().report().addons().stream().filter(a -> a.name().equals("ingress-nginx")).findFirst().orElseThrow().required()).isFalse();
    }

    @Test
    void aDeletedClusterLosesItsReleasesEvenWhenFluxCannotUninstall() throws Exception {
        reconciler = reconciler();
        String name = newCluster("{}");
        String key = NS + "/" + name;
        controlPlaneReady(name);
        reconciler.reconcile(key);
        // helm-controller's finalizer, as if it could not reach the tenant to uninstall.
        for (String release : releaseNames(name)) {
            client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withName(release)
                    .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
                            "{\"metadata\":{\"finalizers\":[\"finalizers.fluxcd.io\"]}}");
        }
        client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(name).delete();

        reconciler.reconcile(key);
        List<GenericKubernetesResource> stuck = client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS)
                .withLabels(Labels.ofCluster(name)).list().getItems();
        assertThat(stuck).hasSize(4).allSatisfy(r -> {
            assertThat(r.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(((Map<?, ?>) r.getAdditionalProperties().get("spec")).get("suspend")).isEqualTo(true);
        });
        assertThat(reports.stream().map(Report::type)).doesNotContain(EventTypes.ADDON_REMOVED);

        now = Instant.now().plus(Duration.ofMinutes(2));
        reconciler.reconcile(key);
        assertThat(releaseNames(name)).isEmpty();
        reconciler.reconcile(key);
        assertThat(last().type()).isEqualTo(EventTypes.ADDON_REMOVED);
        assertThat(last().states()).containsOnlyKeys("cilium", "coredns", "kubevirt-csi-node", "metrics-server")
                .allSatisfy((addon, state) -> assertThat(state).isEqualTo(State.Removed));
        int sent = reports.size();
        reconciler.reconcile(key);
        assertThat(reports).as("removal is reported once").hasSize(sent);
    }

    @Test
    void aClusterRecreatedUnderTheSameNameNeverAdoptsTheOldReleases() throws Exception {
        reconciler = reconciler();
        String name = newCluster("{\"metrics-server\":{\"enabled\":false}}");
        String key = NS + "/" + name;
        controlPlaneReady(name);
        reconciler.reconcile(key);
        String oldUid = client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(name).get()
                .getMetadata().getUid();
        for (String release : releaseNames(name)) {
            client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withName(release)
                    .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
                            "{\"metadata\":{\"finalizers\":[\"finalizers.fluxcd.io\"]}}");
        }
        client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(name).delete();
        var again = JSON.readValue("""
                {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","minReplicas":1,"maxReplicas":1}]}}"""
                .formatted(name, NS), GenericKubernetesResource.class);
        String newUid = client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).resource(again).create()
                .getMetadata().getUid();
        controlPlaneReady(name);

        reconciler.reconcile(key);
        assertThat(client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withLabels(Labels.ofCluster(name))
                .list().getItems()).as("the old releases terminate, none is adopted; only a new name is created")
                .hasSize(4).allSatisfy(r -> {
                    if (r.getMetadata().getLabels().get(Labels.CLUSTER_UID).equals(oldUid)) {
                        assertThat(r.getMetadata().getDeletionTimestamp()).isNotNull();
                    } else {
                        assertThat(r.getMetadata().getName()).isEqualTo(name + "-metrics-server");
                    }
                });

        now = Instant.now().plus(Duration.ofMinutes(2));
        reconciler.reconcile(key);
        reconciler.reconcile(key);
        assertThat(client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withLabels(Labels.ofCluster(name))
                .list().getItems()).hasSize(4)
                .allSatisfy(r -> assertThat(r.getMetadata().getLabels()).containsEntry(Labels.CLUSTER_UID, newUid));
        assertThat(reports).anySatisfy(r -> {
            assertThat(r.report().clusterUid()).isEqualTo(oldUid);
            assertThat(r.type()).isEqualTo(EventTypes.ADDON_REMOVED);
        });
        assertThat(reports.stream().filter(r -> r.report().clusterUid().equals(newUid)).reduce((a, b) -> b).orElseThrow()
                .states()).containsOnlyKeys("cilium", "coredns", "kubevirt-csi-node", "metrics-server");
    }
}

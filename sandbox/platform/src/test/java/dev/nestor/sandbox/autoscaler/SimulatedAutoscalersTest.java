package dev.nestor.sandbox.autoscaler;

import dev.nestor.sandbox.apiserver.ApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulated cluster-autoscaler against real sandbox API servers (management and tenant): it scales a group up to
 * its max while pods are pending, back to its min once they are gone, and only while its Deployment exists.
 */
class SimulatedAutoscalersTest {
    static final String NS = "tenant-acme";
    static final AutoscalerTimings FAST = new AutoscalerTimings(Duration.ofMillis(100), 10, Duration.ofSeconds(1));

    ApiServer managementApi;
    ApiServer tenantApi;
    KubernetesClient management;
    KubernetesClient tenant;
    SimulatedAutoscalers autoscalers;

    @BeforeEach
    void start() throws Exception {
        ApiServer.Builder builder = ApiServer.builder().port(0);
        Optional.ofNullable(System.getProperty("nestor.upstream.crds")).map(Path::of).filter(Files::isDirectory)
                .ifPresent(builder::upstreamSchemas);
        managementApi = builder.start();
        tenantApi = ApiServer.builder().port(0).upstreamKinds(false).start();
        management = managementApi.newClient();
        tenant = tenantApi.newClient();
        management.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        autoscalers = new SimulatedAutoscalers(managementApi.newClient(), FAST);
        autoscalers.start();
    }

    @AfterEach
    void stop() {
        autoscalers.close();
        management.close();
        tenant.close();
        managementApi.close();
        tenantApi.close();
    }

    @Test
    void pendingPodsScaleTheGroupToItsMaxAndItGoesBackToItsMinOnlyWhileTheAutoscalerExists() throws Exception {
        management.resource(machineDeployment("demo", "md0", 1, 3, 1)).create();
        management.resource(machineDeployment("demo", "fixed", null, null, 2)).create();
        createPods(30);

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(replicas("demo-md0")).as("no autoscaler yet").isEqualTo(1));

        createAutoscaler("demo");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replicas("demo-md0")).isEqualTo(3));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(replicas("demo-md0")).as("bounded by max").isEqualTo(3));
        assertThat(replicas("demo-fixed")).as("a fixed-size group is left alone").isEqualTo(2);
        Deployment running = management.apps().deployments().inNamespace(NS).withName("demo-cluster-autoscaler").get();
        assertThat(running.getStatus().getAvailableReplicas()).isEqualTo(1);

        tenant.pods().inNamespace("default").delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replicas("demo-md0")).isEqualTo(1));

        management.apps().deployments().inNamespace(NS).withName("demo-cluster-autoscaler").delete();
        createPods(30);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(replicas("demo-md0")).as("its Deployment is gone").isEqualTo(1));
    }

    @Test
    void theTenantTokenControllerFillsServiceAccountTokens() {
        management.resource(new SecretBuilder().withNewMetadata().withName("demo-admin-kubeconfig").withNamespace(NS)
                .addToLabels("kamaji.clastix.io/component", "admin-kubeconfig").endMetadata()
                .addToData("super-admin.conf", b64(tenantKubeconfig())).build()).create();
        tenant.serviceAccounts().inNamespace("kube-system").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("robot").endMetadata().build()).create();
        tenant.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withName("robot-token").addToAnnotations("kubernetes.io/service-account.name", "robot").endMetadata()
                .withType("kubernetes.io/service-account-token").build()).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tenant.secrets().inNamespace("kube-system")
                .withName("robot-token").get().getData()).containsKeys("token", "namespace", "ca.crt"));
    }

    @ParameterizedTest(name = "min {0} max {1} at {2}, {3} pending, {4} scheduled, idle {5} → {6}")
    @CsvSource({
            "1, 3, 1, 30, 0, false, 3",
            "1, 3, 1, 15, 0, false, 2",
            "1, 3, 2, 1, 0, false, 2",
            "1, 3, 3, 0, 0, false, 3",
            "1, 3, 3, 0, 0, true, 1",
            "1, 3, 3, 0, 12, true, 2",
            "2, 5, 1, 0, 0, false, 2",
            "0, 4, 0, 3, 0, false, 1"})
    void decisions(int min, int max, int replicas, int pending, int scheduled, boolean idle, int target) {
        assertThat(ScalingDecision.target(min, max, replicas, pending, scheduled, 10, idle)).isEqualTo(target);
    }

    private void createAutoscaler(String cluster) {
        String secret = cluster + "-cluster-autoscaler-kubeconfig";
        management.resource(new SecretBuilder().withNewMetadata().withName(secret).withNamespace(NS).endMetadata()
                .addToData("kubeconfig", b64(tenantKubeconfig())).build()).create();
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "cluster-autoscaler", "nestor.dev/cluster", cluster);
        management.resource(new DeploymentBuilder().withNewMetadata().withName(cluster + "-cluster-autoscaler")
                .withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName("cluster-autoscaler").withImage("cluster-autoscaler").endContainer()
                .addNewVolume().withName("tenant-kubeconfig").withNewSecret().withSecretName(secret).endSecret()
                .endVolume().endSpec().endTemplate().endSpec().build()).create();
    }

    private void createPods(int count) {
        for (int i = 0; i < count; i++) {
            tenant.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("load-" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer()
                    .endSpec().build()).create();
        }
    }

    private int replicas(String md) {
        GenericKubernetesResource object = management.genericKubernetesResources(SimulatedAutoscalers.MACHINE_DEPLOYMENTS)
                .inNamespace(NS).withName(md).get();
        return ((Number) ((Map<?, ?>) object.getAdditionalProperties().get("spec")).get("replicas")).intValue();
    }

    private String tenantKubeconfig() {
        try {
            Path file = Files.createTempFile("tenant", ".kubeconfig");
            try {
                return Files.readString(tenantApi.writeKubeconfig(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static GenericKubernetesResource machineDeployment(String cluster, String group, Integer min, Integer max,
            int replicas) {
        String annotations = min == null ? "{}" : """
                {"cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size":"%d",
                 "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size":"%d"}""".formatted(min, max);
        String md = cluster + "-" + group;
        return Serialization.unmarshal("""
                {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment",
                 "metadata":{"name":"%s","namespace":"%s","annotations":%s},
                 "spec":{"clusterName":"%s","replicas":%d,
                   "selector":{"matchLabels":{"cluster.x-k8s.io/cluster-name":"%s","cluster.x-k8s.io/deployment-name":"%s"}},
                   "template":{"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"%s","cluster.x-k8s.io/deployment-name":"%s"}},
                     "spec":{"clusterName":"%s","version":"v1.33.5",
                       "bootstrap":{"configRef":{"apiGroup":"bootstrap.cluster.x-k8s.io","kind":"KubeadmConfigTemplate","name":"%s"}},
                       "infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"KubevirtMachineTemplate","name":"%s"}}}}}
                """.formatted(md, NS, annotations, cluster, replicas, cluster, md, cluster, md, cluster, md, md),
                GenericKubernetesResource.class);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

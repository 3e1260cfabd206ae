package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Add-ons on the sandbox, as a tenant meets them (issue 4): the example cluster is Ready only once its add-ons are
 * installed, in dependsOn order, each visible in the tenant API and as events; ingress-nginx enabled later installs
 * and disabled removes; an injected install failure shows as addon.failed and holds Ready back until lifted; a
 * cluster whose tenant API server has stopped is still deleted within 5 minutes, leaving no HelmRelease.
 */
class AddonsIT {
    static final String NS = "tenant-acme";
    static final String CLUSTER = "/api/v1/tenants/acme/clusters/shop";
    static final String ADDON_SERVICE = "http://127.0.0.1:8081";
    static final String MERGE = "application/merge-patch+json";
    static final List<String> EXAMPLE = List.of("cilium", "coredns", "kubevirt-csi-node", "metrics-server", "cert-manager");
    static final ObjectMapper JSON = new ObjectMapper();
    static Sandbox sandbox;
    static String token;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-addons").toAbsolutePath());
        sandbox.start("addon-service");
        token = sandbox.restAsTenant("acme");
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** nestor.addons and nestor.cluster.lifecycle from the beginning, parsed and schema-checked. */
    static final class Topic implements AutoCloseable {
        final KafkaConsumer<String, byte[]> consumer;
        final List<NestorEvent<JsonNode>> events = new ArrayList<>();
        final CloudEventCodec codec = new CloudEventCodec();

        Topic(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.ADDONS, Topics.CLUSTER_LIFECYCLE));
        }

        List<NestorEvent<JsonNode>> of(String uid) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                assertThat(LifecycleTopic.schemaErrors(r)).as("body at offset " + r.offset()).isEmpty();
                try {
                    NestorEvent<JsonNode> e = codec.parse(r);
                    if (events.stream().noneMatch(seen -> seen.id().equals(e.id()))) {
                        events.add(e);
                    }
                } catch (MalformedEventException e) {
                    throw new AssertionError("malformed event at offset " + r.offset(), e);
                }
            }
            return events.stream().filter(e -> e.clusterUid().equals(uid)).toList();
        }

        /** The add-on reports of a uid, each as name → state. */
        List<Map<String, String>> reports(String uid, String type) {
            return of(uid).stream().filter(e -> e.type().equals(type)).map(e -> {
                Map<String, String> states = new java.util.LinkedHashMap<>();
                e.data().path("addons").forEach(a -> states.put(a.path("name").asText(), a.path("state").asText()));
                return states;
            }).toList();
        }

        Instant timeOf(String uid, String type) {
            return of(uid).stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow().time().toInstant();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static List<GenericKubernetesResource> releases(KubernetesClient client, String cluster) {
        return client.genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease").inNamespace(NS)
                .withLabel("nestor.dev/cluster", cluster).list().getItems();
    }

    static GenericKubernetesResource release(KubernetesClient client, String name) {
        return client.genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease").inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> condition(GenericKubernetesResource object, String type) {
        Map<String, Object> status = (Map<String, Object>) object.getAdditionalProperties().getOrDefault("status", Map.of());
        return ((List<Map<String, Object>>) status.getOrDefault("conditions", List.of())).stream()
                .filter(c -> type.equals(c.get("type"))).findFirst().orElse(Map.of());
    }

    static KubernetesClient tenantApi(KubernetesClient client, String cluster) {
        Secret secret = client.secrets().inNamespace(NS).withName(cluster + "-admin-kubeconfig").get();
        String kubeconfig = new String(Base64.getDecoder().decode(secret.getData().get("admin.conf")), StandardCharsets.UTF_8);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    static void annotate(KubernetesClient client, String cluster, String failures) {
        client.genericKubernetesResources("nestor.dev/v1alpha1", "TenantCluster").inNamespace(NS).withName(cluster)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"sandbox.nestor.dev/fail\":"
                        + (failures == null ? "null" : "\"" + failures + "\"") + "}}}");
    }

    static void awaitReady(String path) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().get(path).then().statusCode(200).body("status.phase", equalTo("Ready"),
                        "status.observedGeneration", equalTo(given().get(path).then().extract().path("generation"))));
    }

    @Test
    void addonsInstallInOrderHoldReadyBackWhileFailingAndGoWithTheCluster() throws Exception {
        String addons = EXAMPLE.stream().map(a -> "\"" + a + "\":{\"enabled\":true}").collect(Collectors.joining(",", "{", "}"));
        try (KubernetesClient client = sandbox.client(); Topic topic = new Topic(sandbox.bootstrapServers())) {
            String uid = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"shop\",\"version\":\"v1.33\",\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":"
                            + "\"u1.small\",\"minReplicas\":1,\"maxReplicas\":1}],\"addons\":" + addons + "}")
                    .post("/api/v1/tenants/acme/clusters").then().statusCode(202).extract().path("uid");
            awaitReady(CLUSTER);

            // Installed, in dependsOn order (the CNI first), each leaving its trace in the tenant API.
            List<GenericKubernetesResource> installed = releases(client, "shop");
            assertThat(installed).extracting(r -> r.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(EXAMPLE.stream().map(a -> "shop-" + a).toList());
            Instant cniReady = Instant.parse(condition(release(client, "shop-cilium"), "Ready").get("lastTransitionTime").toString());
            try (KubernetesClient tenant = tenantApi(client, "shop")) {
                for (GenericKubernetesResource r : installed) {
                    assertThat(condition(r, "Ready")).containsEntry("status", "True");
                    assertThat(Instant.parse(condition(r, "Ready").get("lastTransitionTime").toString()))
                            .as(r.getMetadata().getName() + " after the CNI").isAfterOrEqualTo(cniReady);
                    @SuppressWarnings("unchecked")
                    String target = ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get("targetNamespace").toString();
                    String addon = r.getMetadata().getLabels().get("nestor.dev/addon");
                    assertThat(tenant.configMaps().inNamespace(target).withName("helm-release-" + addon).get())
                            .as("the trace of " + addon + " in the tenant").isNotNull();
                }
            }
            assertValid(client);

            // Events: reports while installing, then one with every add-on installed, and Ready not before it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(topic.reports(uid, EventTypes.ADDON_INSTALLING)).isNotEmpty();
                assertThat(topic.reports(uid, EventTypes.ADDON_INSTALLED)).anySatisfy(states ->
                        assertThat(states).containsOnlyKeys(EXAMPLE).allSatisfy((a, s) -> assertThat(s).isEqualTo("Installed")));
                assertThat(topic.of(uid)).anyMatch(e -> e.type().equals(EventTypes.CLUSTER_READY));
            });
            assertThat(topic.timeOf(uid, EventTypes.CLUSTER_READY)).isAfterOrEqualTo(topic.timeOf(uid, EventTypes.ADDON_INSTALLED));
            given().get(ADDON_SERVICE + "/api/v1/tenants/acme/clusters/shop/addons").then().statusCode(200)
                    .body("addons.find { it.name == 'cert-manager' }.state", equalTo("Installed"));
            given().get(ADDON_SERVICE + "/api/v1/addons").then().statusCode(200).body("items.name", hasItem("velero"));

            // Enabling ingress-nginx later installs it; disabling it removes it from the tenant too.
            given().contentType(MERGE).body("{\"addons\":{\"ingress-nginx\":{\"enabled\":true}}}").patch(CLUSTER).then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topic.reports(uid, EventTypes.ADDON_INSTALLED))
                    .anySatisfy(states -> assertThat(states).containsEntry("ingress-nginx", "Installed")));
            try (KubernetesClient tenant = tenantApi(client, "shop")) {
                assertThat(tenant.configMaps().inNamespace("ingress-nginx").withName("helm-release-ingress-nginx").get()).isNotNull();
                given().contentType(MERGE).body("{\"addons\":{\"ingress-nginx\":{\"enabled\":false}}}").patch(CLUSTER).then().statusCode(200);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(release(client, "shop-ingress-nginx")).isNull();
                    assertThat(tenant.configMaps().inNamespace("ingress-nginx").withName("helm-release-ingress-nginx").get()).isNull();
                    assertThat(topic.reports(uid, EventTypes.ADDON_REMOVED))
                            .anySatisfy(states -> assertThat(states).containsEntry("ingress-nginx", "Removed"));
                });
            }
            awaitReady(CLUSTER);

            // An injected install failure: addon.failed with the reason, the cluster not Ready naming the add-on.
            annotate(client, "shop", "addon:ingress-nginx");
            given().contentType(MERGE).body("{\"addons\":{\"ingress-nginx\":{\"enabled\":true}}}").patch(CLUSTER).then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(topic.of(uid)).anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventTypes.ADDON_FAILED);
                    JsonNode failed = JSON.valueToTree(e.data()).path("addons").findParents("name").stream()
                            .filter(a -> a.path("name").asText().equals("ingress-nginx")).findFirst().orElseThrow();
                    assertThat(failed.path("state").asText()).isEqualTo("Failed");
                    assertThat(failed.path("message").asText()).contains("InstallFailed");
                });
                JsonNode cluster = JSON.readTree(given().get(CLUSTER).then().statusCode(200).extract().asString());
                assertThat(cluster.at("/status/phase").asText()).isNotEqualTo("Ready");
                JsonNode addonsReady = cluster.at("/status/conditions").findParents("type").stream()
                        .filter(c -> c.path("type").asText().equals("AddonsReady")).findFirst().orElseThrow();
                assertThat(addonsReady.path("status").asText()).isEqualTo("False");
                assertThat(addonsReady.path("message").asText()).contains("ingress-nginx");
            });
            annotate(client, "shop", null);
            awaitReady(CLUSTER);
            assertThat(condition(release(client, "shop-ingress-nginx"), "Ready")).containsEntry("status", "True");

            // The tenant API server stops; deleting the cluster still completes, leaving no HelmRelease.
            annotate(client, "shop", "tenant-api");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (KubernetesClient tenant = tenantApi(client, "shop")) {
                    tenant.getKubernetesVersion();
                    return false;
                } catch (RuntimeException unreachable) {
                    return true;
                }
            });
            Instant deleted = Instant.now();
            given().delete(CLUSTER).then().statusCode(202);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                given().get(CLUSTER).then().statusCode(404);
                assertThat(releases(client, "shop")).isEmpty();
                assertThat(client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmRepository").inNamespace(NS)
                        .withLabel("nestor.dev/cluster", "shop").list().getItems()).isEmpty();
            });
            assertThat(Duration.between(deleted, Instant.now())).isLessThan(Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(topic.reports(uid, EventTypes.ADDON_REMOVED))
                    .anySatisfy(states -> assertThat(states).containsKeys(EXAMPLE.toArray(String[]::new))
                            .allSatisfy((a, s) -> assertThat(s).isEqualTo("Removed"))));
        }
    }

    /** Every Flux object addon-service and the simulated controller wrote validates, status included. */
    static void assertValid(KubernetesClient client) {
        var upstream = ReactorPaths.upstreamCrds();
        if (upstream.isEmpty()) {
            return;
        }
        SchemaValidator validator = SchemaValidator.load(upstream.get());
        List<GenericKubernetesResource> objects = new ArrayList<>(releases(client, "shop"));
        objects.addAll(client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmRepository").inNamespace(NS)
                .withLabel("nestor.dev/cluster", "shop").list().getItems());
        objects.addAll(client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "OCIRepository").inNamespace(NS)
                .withLabel("nestor.dev/cluster", "shop").list().getItems());
        assertThat(objects).hasSizeGreaterThanOrEqualTo(10);
        for (GenericKubernetesResource o : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(o, Map.class);
            assertThat(validator.validate(o.getApiVersion(), o.getKind(), map)).as(o.getKind() + " " + o.getMetadata().getName()).isEmpty();
        }
    }
}

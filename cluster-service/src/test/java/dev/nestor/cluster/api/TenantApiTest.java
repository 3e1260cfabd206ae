package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.render.Kind;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Onboarding over {@code PUT /api/v1/tenants/{tenant}}: administrators only, a labelled namespace carrying the
 * allow-lists, a ResourceQuota, and the lists enforced by REST and the reconciler alike.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class TenantApiTest {
    static final String TENANT = "/api/v1/tenants/{tenant}";
    static final String CLUSTERS = TENANT + "/clusters";
    static final String HOOLI = """
            {"dataStores":["default","fast"],"storageClasses":["replicated"],"gpuModels":[],
             "loadBalancerAddresses":["203.0.113.10","203.0.113.11"],"quota":{"clusters":2}}""";
    KubernetesClient client;

    @BeforeEach
    void connect() {
        client = ApiServerResource.client();
        TestTokens.sendNone();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void anAdminOnboardsATenantWhoseAllowListsAndQuotaAreThenEnforced() {
        String admin = TestTokens.admin();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(HOOLI).put(TENANT, "hooli")
                .then().statusCode(201).header("Location", endsWith("/api/v1/tenants/hooli"))
                .body("name", equalTo("hooli"), "namespace", equalTo("tenant-hooli"),
                        "dataStores", contains("default", "fast"), "storageClasses", contains("replicated"),
                        "gpuModels", empty(), "loadBalancerAddresses", contains("203.0.113.10", "203.0.113.11"),
                        "quota.clusters", equalTo(2));
        Namespace ns = client.namespaces().withName("tenant-hooli").get();
        assertThat(ns.getMetadata().getLabels()).containsEntry("nestor.dev/tenant", "hooli");
        assertThat(ns.getMetadata().getAnnotations()).containsEntry("nestor.dev/data-stores", "default,fast")
                .containsEntry("nestor.dev/storage-classes", "replicated").containsEntry("nestor.dev/gpu-models", "")
                .as("the pool csi-bridge enforces").containsEntry("nestor.dev/load-balancer-addresses",
                        "203.0.113.10,203.0.113.11");
        assertThat(ns.getMetadata().getManagedFields()).extracting(f -> f.getManager()).contains("nestor-cluster-service");
        ResourceQuota quota = client.resourceQuotas().inNamespace("tenant-hooli").withName("nestor-tenant-quota").get();
        assertThat(quota.getSpec().getHard()).containsKey("count/tenantclusters.nestor.dev");
        assertThat(quota.getSpec().getHard().get("count/tenantclusters.nestor.dev").getAmount()).isEqualTo("2");

        // The tenant reads what is in force for it; REST enforces the onboarded lists, not the configured ones.
        String hooli = TestTokens.tenant("hooli");
        given().auth().oauth2(hooli).get(TENANT, "hooli").then().statusCode(200).body("dataStores", contains("default", "fast"));
        given().auth().oauth2(hooli).contentType(ContentType.JSON).body(cluster("refused", "etcd-gold", null))
                .post(CLUSTERS, "hooli").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("controlPlane.dataStore"), "errors.rule", hasItem("datastore-not-allowed"));
        given().auth().oauth2(hooli).contentType(ContentType.JSON).body(cluster("refused", "default", "local"))
                .post(CLUSTERS, "hooli").then().statusCode(422)
                .body("errors.field", hasItem("nodeGroups[0].storageClass"), "errors.rule", hasItem("storage-class-not-allowed"));
        given().auth().oauth2(hooli).contentType(ContentType.JSON).body(cluster("fast-one", "fast", "replicated"))
                .post(CLUSTERS, "hooli").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, "tenant-hooli", "fast-one") != null);

        // The reconciler holds a kubectl-applied cluster to the same lists.
        client.resource(Serialization.unmarshal("""
                apiVersion: nestor.dev/v1alpha1
                kind: TenantCluster
                metadata: {name: gold, namespace: tenant-hooli}
                spec:
                  version: v1.33
                  controlPlane: {dataStore: etcd-gold}
                  nodeGroups: [{name: md0, instanceType: u1.medium, minReplicas: 1, maxReplicas: 1}]
                """, TenantCluster.class)).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TenantCluster gold = client.resources(TenantCluster.class).inNamespace("tenant-hooli").withName("gold").get();
            assertThat(gold.getStatus()).isNotNull();
            assertThat(gold.getStatus().conditions).filteredOn(c -> c.getType().equals("SpecAccepted")).singleElement()
                    .satisfies(c -> assertThat(c.getMessage()).contains("controlPlane.dataStore"));
        });

        // Two clusters exist: the quota of two refuses a third.
        given().auth().oauth2(hooli).contentType(ContentType.JSON).body(cluster("third", "default", null))
                .post(CLUSTERS, "hooli").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/quota-exceeded"));

        // A second PUT changes the tenant (200); a list left out falls back to configuration.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"dataStores\":[\"default\"],\"quota\":{\"clusters\":5}}")
                .put(TENANT, "hooli").then().statusCode(200)
                .body("dataStores", contains("default"), "storageClasses", contains("replicated", "local"),
                        "loadBalancerAddresses", empty(), "quota.clusters", equalTo(5));
        assertThat(client.namespaces().withName("tenant-hooli").get().getMetadata().getAnnotations())
                .containsEntry("nestor.dev/data-stores", "default").doesNotContainKey("nestor.dev/storage-classes")
                .as("no configured pool: left out is none").doesNotContainKey("nestor.dev/load-balancer-addresses");
        given().auth().oauth2(hooli).contentType(ContentType.JSON).body(cluster("third", "default", "local"))
                .post(CLUSTERS, "hooli").then().statusCode(202);
    }

    @Test
    void onlyAdminsOnboard() {
        given().auth().oauth2(TestTokens.tenant("acme")).contentType(ContentType.JSON).body(HOOLI).put(TENANT, "evil")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/forbidden"), "status", equalTo(403));
        given().auth().oauth2(TestTokens.tenant("acme")).contentType(ContentType.JSON).body("{}").put(TENANT, "acme")
                .then().statusCode(403);
        assertThat(client.namespaces().withName("tenant-evil").get()).isNull();
        assertThat(client.namespaces().withName("tenant-acme").get().getMetadata().getAnnotations())
                .doesNotContainKey("nestor.dev/data-stores");
    }

    @Test
    void aBadOnboardingRequestIsRefusedAndCreatesNothing() {
        String admin = TestTokens.admin();
        Map<String, String> malformed = Map.of(
                "{\"dataStores\":", "malformed-json",
                "[]", "malformed-json",
                "{\"colour\":\"red\"}", "unknown-field",
                "{\"dataStores\":\"default\"}", "wrong-type",
                "{\"quota\":{\"clusters\":\"ten\"}}", "wrong-type",
                "{\"quota\":{\"clusters\":2.5}}", "wrong-type",
                "{\"quota\":{\"pods\":3}}", "unknown-field");
        malformed.forEach((body, slug) -> given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                .put(TENANT, "broken").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/" + slug)));
        Map<String, String> invalid = Map.of(
                "{\"dataStores\":[]}", "dataStores",
                "{\"dataStores\":[\"default\",\"default\"]}", "dataStores[1]",
                "{\"storageClasses\":[\"Not_A_Name\"]}", "storageClasses[0]",
                "{\"gpuModels\":[\"nvidia.com/a,b\"]}", "gpuModels[0]",
                "{\"dataStores\":[null]}", "dataStores[0]",
                "{\"loadBalancerAddresses\":[\"lb.example.com\"]}", "loadBalancerAddresses[0]",
                "{\"quota\":{\"clusters\":-1}}", "quota.clusters",
                "{\"quota\":{}}", "quota.clusters");
        invalid.forEach((body, field) -> given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                .put(TENANT, "broken").then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/invalid-tenant"), "errors.field", hasItem(field)));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").put(TENANT, "Not_A_Tenant")
                .then().statusCode(422).body("errors.field", hasItem("tenant"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").put(TENANT, "a".repeat(31))
                .then().statusCode(422).body("errors.field", hasItem("tenant"));
        assertThat(client.namespaces().withName("tenant-broken").get()).isNull();
    }

    /** A one-group cluster body with the given data store and, when not null, the group's storage class. */
    static String cluster(String name, String dataStore, String storageClass) {
        String body = TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + name + "\"")
                .replace("\"controlPlane\":{\"replicas\":2}", "\"controlPlane\":{\"replicas\":2,\"dataStore\":\"" + dataStore + "\"}");
        return storageClass == null ? body
                : body.replace("\"instanceType\":\"u1.medium\"", "\"instanceType\":\"u1.medium\",\"storageClass\":\"" + storageClass + "\"");
    }
}

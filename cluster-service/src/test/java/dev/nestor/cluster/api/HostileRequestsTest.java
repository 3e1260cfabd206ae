package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.validate.SpecValidatorRows;
import dev.nestor.cluster.validate.ValidationRow;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests, as an attacker or a careless script sends them: every one gets
 * a 4xx problem+json, none a 5xx, and no TenantCluster of any tenant changes.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class HostileRequestsTest {
    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        TestTokens.sendWithEveryRequest(TestTokens.admin());
    }

    @org.junit.jupiter.api.AfterEach
    void forget() {
        TestTokens.sendNone();
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACME = "/api/v1/tenants/acme/clusters";

    /** One request: what it is, and how to send it. */
    record Hostile(String what, String method, String path, Map<String, String> headers, String body) {
    }

    static Hostile post(String what, String body) {
        return new Hostile(what, "POST", ACME, Map.of("Content-Type", "application/json"), body);
    }

    static Hostile patch(String what, String body, Map<String, String> headers) {
        return new Hostile(what, "PATCH", ACME + "/target", headers, body);
    }

    static List<Hostile> requests() {
        List<Hostile> all = new ArrayList<>();
        for (ValidationRow row : SpecValidatorRows.ROWS) {
            ObjectNode body = JSON.valueToTree(TestCatalog.exampleSpec());
            row.breakIt().accept(body);
            if (row.name() != null) {
                body.put("name", row.name());
            }
            all.add(post("rule " + row.rule(), body.toString()));
        }
        String example = TestCatalog.EXAMPLE;
        all.add(post("empty body", ""));
        all.add(post("truncated JSON", example.substring(0, 40)));
        all.add(post("a JSON array", "[" + example + "]"));
        all.add(post("a JSON string", "\"demo\""));
        all.add(post("trailing garbage", example + "}"));
        all.add(post("duplicate keys", example.replace("\"version\":\"v1.33\"", "\"version\":\"v1.33\",\"version\":\"v1.32\"")));
        all.add(post("name is a number", example.replace("\"name\":\"demo\"", "\"name\":7")));
        all.add(post("replicas is a string", example.replace("\"replicas\":2}", "\"replicas\":\"2\"}")));
        all.add(post("replicas is a float", example.replace("\"replicas\":2}", "\"replicas\":2.5}")));
        all.add(post("nodeGroups is an object", example.replace("\"nodeGroups\":[", "\"nodeGroups\":{\"x\":[").replace("]}", "]}}")));
        all.add(post("unknown top-level field", example.replace("\"version\"", "\"admin\":true,\"version\"")));
        all.add(post("unknown nested field", example.replace("\"minReplicas\":1", "\"privileged\":true,\"minReplicas\":1")));
        all.add(post("huge body", example.replace("\"name\":\"demo\"", "\"name\":\"" + "x".repeat(300_000) + "\"")));
        all.add(post("deeply nested values", example.replace("\"version\"", "\"addons\":{\"coredns\":{\"values\":"
                + "[".repeat(2000) + "]".repeat(2000) + "}},\"version\"")));
        all.add(post("overlapping CIDRs", example.replace("\"version\"", "\"network\":{\"podCidr\":\"10.0.0.0/16\",\"serviceCidr\":\"10.0.0.0/20\"},\"version\"")));
        all.add(post("foreign datastore", example.replace("{\"replicas\":2}", "{\"replicas\":2,\"dataStore\":\"globex-etcd\"}")));
        all.add(new Hostile("wrong content type", "POST", ACME, Map.of("Content-Type", "text/plain"), "name=demo"));
        all.add(new Hostile("path traversal in tenant", "GET", "/api/v1/tenants/..%2Fkube-system/clusters", Map.of(), null));
        all.add(new Hostile("upper-case tenant", "GET", "/api/v1/tenants/ACME/clusters", Map.of(), null));
        all.add(new Hostile("over-long tenant", "GET", "/api/v1/tenants/" + "a".repeat(64) + "/clusters", Map.of(), null));
        all.add(new Hostile("encoded slash in name", "GET", ACME + "/target%2Fstatus", Map.of(), null));
        all.add(new Hostile("name with dots", "DELETE", ACME + "/..", Map.of(), null));
        all.add(new Hostile("another tenant's namespace", "GET", "/api/v1/tenants/kube-system/clusters", Map.of(), null));
        all.add(new Hostile("unknown cluster", "DELETE", ACME + "/nope", Map.of(), null));
        all.add(new Hostile("wrong method", "PUT", ACME, Map.of("Content-Type", "application/json"), example));
        all.add(new Hostile("no such path", "GET", "/api/v1/tenants/acme/secrets", Map.of(), null));
        all.add(new Hostile("bad limit", "GET", ACME + "?limit=-5", Map.of(), null));
        all.add(new Hostile("forged continue token", "GET", ACME + "?limit=1&continue=bm90LWEtdG9rZW4", Map.of(), null));
        all.add(patch("stale ETag", "{\"deletionProtection\":true}", Map.of("Content-Type", "application/merge-patch+json", "If-Match", "\"99\"")));
        all.add(patch("rename", "{\"name\":\"other\"}", Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("downgrade", "{\"version\":\"v1.32\"}", Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("skip a minor", "{\"version\":\"v1.35\"}", Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("min above max", "{\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":\"u1.small\",\"minReplicas\":5,\"maxReplicas\":1}]}",
                Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("duplicate groups", "{\"nodeGroups\":[{\"name\":\"a\",\"instanceType\":\"u1.small\",\"minReplicas\":1,\"maxReplicas\":1},"
                + "{\"name\":\"a\",\"instanceType\":\"u1.small\",\"minReplicas\":1,\"maxReplicas\":1}]}", Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("foreign storage class", "{\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":\"u1.small\",\"storageClass\":\"globex-fast\","
                + "\"minReplicas\":1,\"maxReplicas\":1}]}", Map.of("Content-Type", "application/merge-patch+json")));
        all.add(patch("patch with an array", "[{\"op\":\"remove\",\"path\":\"/spec\"}]", Map.of("Content-Type", "application/json-patch+json")));
        return all;
    }

    @Test
    void everyHostileRequestIsRefusedAsProblemJsonAndChangesNothing() {
        given().header("Content-Type", "application/json").body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"target\""))
                .post(ACME).then().statusCode(202);
        Map<String, String> before = snapshot();
        List<Hostile> requests = requests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(60);
        for (Hostile h : requests) {
            RequestSpecification spec = given().urlEncodingEnabled(false);
            h.headers().forEach(spec::header);
            if (h.body() != null) {
                spec.body(h.body());
            }
            Response r = spec.request(h.method(), h.path());
            assertThat(r.statusCode()).as(h.what() + ": " + r.asString()).isBetween(400, 499);
            assertThat(r.contentType()).as(h.what()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("type")).as(h.what()).startsWith("https://nestor.dev/problems/");
        }
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
    }

    /** Every TenantCluster of every tenant with its generation, spec and metadata (status moves on its own). */
    static Map<String, String> snapshot() {
        Map<String, String> all = new TreeMap<>();
        try (KubernetesClient client = ApiServerResource.client()) {
            for (TenantCluster tc : client.resources(TenantCluster.class).inAnyNamespace().list().getItems()) {
                all.put(tc.getMetadata().getNamespace() + "/" + tc.getMetadata().getName(),
                        "gen " + tc.getMetadata().getGeneration() + " deleting " + tc.getMetadata().getDeletionTimestamp()
                                + " annotations " + tc.getMetadata().getAnnotations() + " spec " + JSON.valueToTree(tc.getSpec()));
            }
        }
        return all;
    }
}

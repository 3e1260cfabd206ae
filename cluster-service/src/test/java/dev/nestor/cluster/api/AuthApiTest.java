package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Bearer JWTs on every tenant endpoint (DESIGN §11): a tenant's token reaches its own clusters only, another tenant's
 * look exactly like an unknown tenant, and a missing, expired, foreign-signed or misaddressed token is a 401.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class AuthApiTest {
    static final String CLUSTERS = "/api/v1/tenants/{tenant}/clusters";
    static final String CLUSTER = CLUSTERS + "/{name}";
    static final String SECRET = "globex-secret";

    @BeforeEach
    void globexHasACluster() {
        TestTokens.sendNone();
        try (KubernetesClient client = ApiServerResource.client()) {
            if (client.resources(TenantCluster.class).inNamespace("tenant-globex").withName(SECRET).get() == null) {
                as(TestTokens.tenant("globex")).contentType(ContentType.JSON)
                        .body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + SECRET + "\""))
                        .post(CLUSTERS, "globex").then().statusCode(202);
            }
        }
    }

    @Test
    void acmeCannotSeeReadTheKubeconfigOfChangeDeleteOrStreamGlobexsClusters() {
        String acme = TestTokens.tenant("acme");
        List<Function<RequestSpecification, Response>> attempts = List.of(
                r -> r.get(CLUSTERS, "globex"),
                r -> r.get(CLUSTER, "globex", SECRET),
                r -> r.get(CLUSTER + "/kubeconfig", "globex", SECRET),
                r -> r.accept("text/event-stream").get(CLUSTER + "/events", "globex", SECRET),
                r -> r.contentType("application/merge-patch+json").body("{\"deletionProtection\":true}")
                        .patch(CLUSTER, "globex", SECRET),
                r -> r.contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + SECRET + "\""))
                        .put(CLUSTER, "globex", SECRET),
                r -> r.delete(CLUSTER, "globex", SECRET),
                r -> r.contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"planted\""))
                        .post(CLUSTERS, "globex"),
                r -> r.get("/api/v1/tenants/{tenant}", "globex"));
        for (Function<RequestSpecification, Response> attempt : attempts) {
            Response foreign = attempt.apply(as(acme));
            foreign.then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"),
                            "detail", equalTo("there is no tenant 'globex'"));
        }
        // Exactly what an unknown tenant gets: nothing tells globex exists.
        as(acme).get(CLUSTER, "initech", SECRET).then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"),
                        "detail", equalTo("there is no tenant 'initech'"));

        try (KubernetesClient client = ApiServerResource.client()) {
            TenantCluster secret = client.resources(TenantCluster.class).inNamespace("tenant-globex").withName(SECRET).get();
            assertThat(secret.getMetadata().getDeletionTimestamp()).as("not deleted").isNull();
            assertThat(secret.getMetadata().getGeneration()).as("not changed").isEqualTo(1L);
            assertThat(client.resources(TenantCluster.class).inNamespace("tenant-globex").withName("planted").get())
                    .as("nothing created").isNull();
        }
        as(TestTokens.tenant("globex")).get(CLUSTER, "globex", SECRET).then().statusCode(200)
                .body("name", equalTo(SECRET), "tenant", equalTo("globex"));
    }

    @Test
    void noTokenIsUnauthenticatedEverywhereUnderTenants() {
        List<Function<RequestSpecification, Response>> attempts = List.of(
                r -> r.get(CLUSTERS, "acme"),
                r -> r.get(CLUSTER, "globex", SECRET),
                r -> r.get(CLUSTER + "/kubeconfig", "globex", SECRET),
                r -> r.accept("text/event-stream").get(CLUSTER + "/events", "globex", SECRET),
                r -> r.contentType(ContentType.JSON).body(TestCatalog.EXAMPLE).post(CLUSTERS, "acme"),
                r -> r.delete(CLUSTER, "globex", SECRET),
                r -> r.get("/api/v1/tenants/{tenant}", "acme"),
                r -> r.contentType(ContentType.JSON).body("{}").put("/api/v1/tenants/{tenant}", "acme"));
        for (Function<RequestSpecification, Response> attempt : attempts) {
            unauthenticated(attempt.apply(given()), "Bearer");
        }
        unauthenticated(given().header("Authorization", "Basic YWNtZTphY21l").get(CLUSTERS, "acme"), "Bearer");
    }

    @Test
    void expiredForeignSignedTamperedMisaddressedAndAnonymousTokensAreRefused() throws Exception {
        Instant now = Instant.now();
        var foreignKey = KeyPairGenerator.getInstance("RSA");
        foreignKey.initialize(2048);
        String valid = TestTokens.tenant("acme");
        String[] parts = valid.split("\\.");
        String globexClaims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"acme\"", "\"globex\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(globexClaims.getBytes())
                + "." + parts[2];

        List<String> refused = List.of(
                TestTokens.sign(TestTokens.claims("user-acme").claim("tenant", "acme")
                        .issuedAt(now.minus(Duration.ofHours(2))).expiresAt(now.minus(Duration.ofMinutes(2)))),
                TestTokens.claims("user-acme").claim("tenant", "acme").sign(foreignKey.generateKeyPair().getPrivate()),
                tampered,
                TestTokens.sign(TestTokens.claims("user-acme").claim("tenant", "acme").audience("someone-else")),
                TestTokens.sign(TestTokens.claims("user-acme").claim("tenant", "acme").issuer("https://evil.example")),
                TestTokens.sign(Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).expiresIn(3600)
                        .claim("tenant", "acme")), // names nobody: no sub, upn or preferred_username
                "not-a-jwt");
        for (String token : refused) {
            unauthenticated(as(token).get(CLUSTERS, "acme"), "Bearer realm=\"nestor\", error=\"invalid_token\"");
        }
        unauthenticated(as(tampered).get(CLUSTERS, "globex"), "Bearer");

        // Inside the stated clock skew of 30 s an expired token still counts.
        String justExpired = TestTokens.sign(TestTokens.claims("user-acme").claim("tenant", "acme")
                .issuedAt(now.minus(Duration.ofHours(1))).expiresAt(now.minus(Duration.ofSeconds(5))));
        as(justExpired).get(CLUSTERS, "acme").then().statusCode(200);
        as(valid).get(CLUSTERS, "acme").then().statusCode(200);
    }

    @Test
    void aTokenWithoutATenantReachesNoTenant() {
        as(TestTokens.sign(TestTokens.claims("nobody"))).get(CLUSTERS, "acme").then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
    }

    @Test
    void anAdminActsOnEveryTenant() {
        String admin = TestTokens.admin();
        as(admin).get(CLUSTER, "globex", SECRET).then().statusCode(200).body("tenant", equalTo("globex"));
        as(admin).get(CLUSTERS, "acme").then().statusCode(200);
        as(admin).contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"by-admin\""))
                .post(CLUSTERS, "acme").then().statusCode(202).body("tenant", equalTo("acme"));
        as(admin).get("/api/v1/tenants/{tenant}", "globex").then().statusCode(200)
                .body("name", equalTo("globex"), "namespace", equalTo("tenant-globex"));
        as(admin).get(CLUSTER, "initech", SECRET).then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
    }

    @Test
    void healthAndOpenApiStayOpenEvenToABadToken() {
        given().get("/q/health/ready").then().statusCode(200);
        as("not-a-jwt").get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    static void unauthenticated(Response response, String challenge) {
        response.then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith(challenge))
                .body("type", equalTo("https://nestor.dev/problems/unauthenticated"), "status", equalTo(401));
    }
}

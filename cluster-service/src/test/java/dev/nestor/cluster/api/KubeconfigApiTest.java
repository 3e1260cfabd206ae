package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.kubeconfig.TestCa;
import dev.nestor.cluster.render.Kind;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The kubeconfig endpoint against the sandbox API server: refused until the control plane serves, then usable. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class KubeconfigApiTest {
    static final String CLUSTERS = "/api/v1/tenants/{tenant}/clusters";
    static final String KUBECONFIG = CLUSTERS + "/{name}/kubeconfig";
    static final String NS = "tenant-acme";
    static final String CLUSTER = "kcfg";
    KubernetesClient client;

    @BeforeEach
    void connect() {
        client = ApiServerResource.client();
        TestTokens.sendWithEveryRequest(TestTokens.tenant("acme")); // tenant acme, whose clusters these are
    }

    @AfterEach
    void disconnect() {
        TestTokens.sendNone();
        client.close();
    }

    @Test
    void aKubeconfigIsRefusedUntilTheControlPlaneServesThenReachesTheTenantApi() throws Exception {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + CLUSTER + "\""))
                .post(CLUSTERS, "acme").then().statusCode(202);
        notReady(given().get(KUBECONFIG, "acme", CLUSTER), "is not ready yet");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, NS, CLUSTER) != null);
        Upstream.controlPlaneAvailable(client, NS, CLUSTER);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(CLUSTERS + "/{name}", "acme", CLUSTER)
                .then().body("status.kubeconfigSecretName", equalTo(CLUSTER + "-admin-kubeconfig")));
        notReady(given().get(KUBECONFIG, "acme", CLUSTER), "admin kubeconfig");

        TestCa ca = TestCa.generate("RSA", Duration.ofDays(3650));
        writeSecret(CLUSTER + "-admin-kubeconfig", Map.of("admin.conf", adminConf(ca)));
        notReady(given().get(KUBECONFIG, "acme", CLUSTER), "certificate authority");

        writeSecret(CLUSTER + "-ca", Map.of("tls.crt", ca.certificatePem(), "tls.key", ca.keyPem()));
        Instant asked = Instant.now();
        String yaml = given().get(KUBECONFIG, "acme", CLUSTER).then().statusCode(200)
                .contentType("application/yaml").header("Cache-Control", "no-store")
                .extract().asString();

        Config config = Config.fromKubeconfig(yaml);
        assertThat(config.getCurrentContext().getName()).isEqualTo("acme-" + CLUSTER);
        X509Certificate certificate = certificate(config.getClientCertData());
        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName())
                .contains("CN=user-acme").contains("O=nestor:cluster-admins"); // the token's subject
        assertThat(certificate.getNotAfter().toInstant()).isCloseTo(asked.plus(Duration.ofHours(8)), within(Duration.ofMinutes(1)));
        try (KubernetesClient tenant = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(tenant.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName()).contains(NS);
        }
    }

    @Test
    void aShorterTtlIsHonouredALongerOneIsCappedAndAMalformedOneRefused() {
        String name = "kcfg-ttl";
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + name + "\""))
                .post(CLUSTERS, "acme").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, NS, name) != null);
        Upstream.controlPlaneAvailable(client, NS, name);
        TestCa ca = TestCa.generate("EC", Duration.ofDays(365));
        writeSecret(name + "-admin-kubeconfig", Map.of("admin.conf", adminConf(ca)));
        // Kamaji's own key names, as its TenantControlPlane CA Secret has them.
        writeSecret(name + "-ca", Map.of("ca.crt", ca.certificatePem(), "ca.key", ca.pkcs8KeyPem()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(KUBECONFIG, "acme", name).then().statusCode(200));

        Instant asked = Instant.now();
        assertThat(notAfter(given().queryParam("ttl", "PT1H").get(KUBECONFIG, "acme", name)))
                .isCloseTo(asked.plus(Duration.ofHours(1)), within(Duration.ofMinutes(1)));
        assertThat(notAfter(given().queryParam("ttl", "PT30H").get(KUBECONFIG, "acme", name)))
                .isCloseTo(asked.plus(Duration.ofHours(8)), within(Duration.ofMinutes(1)));
        for (String bad : new String[] {"banana", "PT0S", "-PT1H"}) {
            given().queryParam("ttl", bad).get(KUBECONFIG, "acme", name).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://nestor.dev/problems/bad-ttl"), "errors[0].field", equalTo("ttl"));
        }
    }

    @Test
    void anotherTenantsClusterAndUnknownNamesAreNotFound() {
        given().get(KUBECONFIG, "globex", CLUSTER).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
        given().get(KUBECONFIG, "initech", CLUSTER).then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
        given().get(KUBECONFIG, "acme", "no-such-cluster").then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/cluster-not-found"));
        given().get(KUBECONFIG, "acme", "..").then().statusCode(404);
    }

    private static void notReady(io.restassured.response.Response response, String why) {
        ValidatableResponse then = response.then().statusCode(409).contentType("application/problem+json");
        then.body("type", equalTo("https://nestor.dev/problems/control-plane-not-ready"), "status", equalTo(409),
                "detail", containsString(why));
    }

    private void writeSecret(String name, Map<String, String> data) {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withStringData(data).build()).create();
    }

    /** What Kamaji writes as admin.conf, pointing at the sandbox API server (which accepts any client). */
    private static String adminConf(TestCa ca) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: kcfg
                contexts:
                - context: {cluster: kcfg, user: kubernetes-admin}
                  name: kubernetes-admin@kcfg
                current-context: kubernetes-admin@kcfg
                users:
                - name: kubernetes-admin
                  user: {token: not-used}
                """.formatted(ca.kubeconfigData(), ApiServerResource.server().url());
    }

    private static Instant notAfter(io.restassured.response.Response response) {
        String yaml = response.then().statusCode(200).extract().asString();
        return certificate(Config.fromKubeconfig(yaml).getClientCertData()).getNotAfter().toInstant();
    }

    private static X509Certificate certificate(String base64Pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.nestor.addon.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.addon.apply.Kinds;
import dev.nestor.sandbox.testing.ApiServerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;


import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** The REST API: the catalog for any authenticated caller, a cluster's add-ons for its tenant only, problem+json. */
@QuarkusTest
@QuarkusTestResource(ApiServerResource.class)
class AddonsApiTest {

    static String token(String tenant) {
        return TestTokens.tenant(tenant);
    }

    @Test
    void theCatalogListsEveryAddonAndKonnectivityAsBuiltIn() throws Exception {
        given().auth().oauth2(token("acme")).get("/api/v1/addons").then().statusCode(200)
                .body("items.name", hasItems("cilium", "calico", "coredns", "kubevirt-csi-node", "metrics-server",
                        "cert-manager", "ingress-nginx", "monitoring-agents", "gpu-operator", "velero", "konnectivity"))
                .body("items.find { it.name == 'konnectivity' }.builtIn", equalTo(true))
                .body("items.find { it.name == 'cilium' }.values.tunnelPort", equalTo(8473))
                .body("items.find { it.name == 'kubevirt-csi-node' }.source.kind", equalTo("OCIRepository"));
    }

    @Test
    void theApiIsDescribedWithoutAToken() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/addons"), containsString("/api/v1/tenants/{tenant}/clusters/{cluster}/addons"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void withoutATokenItIsA401Problem() {
        given().get("/api/v1/addons").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"nestor\"")
                .body("type", equalTo("https://nestor.dev/problems/unauthenticated"));
    }

    @Test
    void aClusterShowsEachAddonAndOtherTenantsGetA404() throws Exception {
        try (KubernetesClient client = ApiServerResource.client()) {
            GenericKubernetesResource tc = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal("""
                    {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"shown","namespace":"tenant-acme"},
                     "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","minReplicas":1,"maxReplicas":1}],
                             "addons":{"velero":{"enabled":true,"version":"11.0.0"}}}}""", GenericKubernetesResource.class);
            client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace("tenant-acme").resource(tc).create();
        }
        given().auth().oauth2(token("acme")).get("/api/v1/tenants/acme/clusters/shown/addons").then().statusCode(200)
                .body("cluster", equalTo("shown"))
                .body("addons.name", containsInAnyOrder("cilium", "coredns", "kubevirt-csi-node", "metrics-server", "velero"))
                .body("addons.state", hasItem("Pending"))
                .body("addons.find { it.name == 'velero' }.version", equalTo("11.0.0"))
                .body("addons.find { it.name == 'velero' }.message", equalTo("waiting for the control plane (the admin kubeconfig)"));
        given().auth().oauth2(token("globex")).get("/api/v1/tenants/acme/clusters/shown/addons").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
        given().auth().oauth2(token("acme")).get("/api/v1/tenants/acme/clusters/nope/addons").then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/cluster-not-found"));
    }
}

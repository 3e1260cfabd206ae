package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.nestor.autoscaler.render.Fixtures.find;
import static dev.nestor.autoscaler.render.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** The autoscaler's identity inside the tenant: least privilege, never the super-admin. */
class TenantRendererTest {

    @Test
    void theTenantSideRendersToGolden() throws Exception {
        Fixtures.assertGolden("demo-tenant.yaml",
                Fixtures.yaml(TenantRenderer.render("demo", ScaleDownSettings.from(spec("{}")))));
    }

    @Test
    void itIsAServiceAccountWithAServiceAccountTokenSecret() {
        List<GenericKubernetesResource> objects = TenantRenderer.render("demo", ScaleDownSettings.DEFAULTS);
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ServiceAccount/nestor-cluster-autoscaler", "Secret/nestor-cluster-autoscaler-token",
                "ClusterRole/nestor:cluster-autoscaler", "ClusterRoleBinding/nestor:cluster-autoscaler",
                "Role/nestor:cluster-autoscaler", "RoleBinding/nestor:cluster-autoscaler");
        GenericKubernetesResource token = find(objects, "Secret", "nestor-cluster-autoscaler-token");
        assertThat(token.getAdditionalProperties()).containsEntry("type", "kubernetes.io/service-account-token");
        assertThat(token.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/service-account.name", "nestor-cluster-autoscaler");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "nestor-autoscaler-bridge"));
    }

    @Test
    void theClusterRoleGrantsNoWriteExceptNodesEvictionsAndEventsAndNothingOnSecrets() {
        List<Map<String, Object>> rules = TenantRenderer.clusterRules();
        assertThat(rules.toString()).doesNotContain("secrets", "\"*\"", "escalate", "bind", "impersonate",
                "configmaps", "leases");
        for (Map<String, Object> rule : rules) {
            @SuppressWarnings("unchecked")
            List<String> verbs = (List<String>) rule.get("verbs");
            @SuppressWarnings("unchecked")
            List<String> resources = (List<String>) rule.get("resources");
            if (verbs.stream().anyMatch(v -> !List.of("get", "list", "watch").contains(v))) {
                assertThat(resources).as(rule.toString()).isSubsetOf("nodes", "pods/eviction", "events");
            }
        }
    }

    @Test
    void leasesAndConfigMapsAreWritableOnlyByNameInKubeSystem() {
        assertThat(TenantRenderer.namespaceRules(ScaleDownSettings.DEFAULTS)).containsExactly(
                Map.of("apiGroups", List.of("coordination.k8s.io"), "resources", List.of("leases"),
                        "verbs", List.of("create")),
                Map.of("apiGroups", List.of("coordination.k8s.io"), "resources", List.of("leases"),
                        "resourceNames", List.of("cluster-autoscaler"), "verbs", List.of("get", "update")),
                Map.of("apiGroups", List.of(""), "resources", List.of("configmaps"), "verbs", List.of("create")),
                Map.of("apiGroups", List.of(""), "resources", List.of("configmaps"),
                        "resourceNames", List.of("cluster-autoscaler-status"),
                        "verbs", List.of("delete", "get", "update")));
        assertThat(find(TenantRenderer.render("demo", ScaleDownSettings.DEFAULTS), "Role", "nestor:cluster-autoscaler")
                .getMetadata().getNamespace()).isEqualTo("kube-system");
    }

    @Test
    void thePriorityExpanderMayReadItsConfigMap() {
        ScaleDownSettings priority = ScaleDownSettings.from(spec("{\"autoscaling\":{\"expander\":\"priority\"}}"));
        assertThat(TenantRenderer.namespaceRules(priority)).contains(Map.of("apiGroups", List.of(""),
                "resources", List.of("configmaps"), "verbs", List.of("get", "list", "watch")));
    }

    @Test
    void theKubeconfigCarriesTheTokenAndTheAdminServerButNoClientCertificate() throws Exception {
        var config = Fixtures.JSON.readTree(Fixtures.KUBECONFIG);
        assertThat(config.at("/clusters/0/cluster/server").asText()).isEqualTo("https://demo.tenant-acme.svc:6443");
        assertThat(config.at("/clusters/0/cluster/certificate-authority-data").asText()).isEqualTo("Q0EK");
        assertThat(config.at("/users/0/user/token").asText()).isEqualTo("s3cr3t");
        assertThat(config.at("/users/0/user").size()).isEqualTo(1);
        assertThat(config.path("current-context").asText()).isEqualTo("nestor-cluster-autoscaler@demo");
    }
}

package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.nestor.autoscaler.render.Fixtures.asMap;
import static dev.nestor.autoscaler.render.Fixtures.find;
import static dev.nestor.autoscaler.render.Fixtures.input;
import static dev.nestor.autoscaler.render.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** The management side of one cluster's autoscaler: golden YAML, flags, version matching, least privilege. */
class ManagementRendererTest {

    @Test
    void theExampleRendersToGolden() throws Exception {
        Fixtures.assertGolden("demo-management.yaml",
                Fixtures.yaml(ManagementRenderer.render(input("v1.33.5", spec("{}")))));
    }

    @Test
    void everyObjectLivesInTheTenantNamespaceWithItsLabelsInApplyOrder() {
        List<GenericKubernetesResource> objects = ManagementRenderer.render(input("v1.33.5", spec("{}")));
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ServiceAccount/demo-cluster-autoscaler", "Role/demo-cluster-autoscaler",
                "RoleBinding/demo-cluster-autoscaler", "Secret/demo-cluster-autoscaler-kubeconfig",
                "Deployment/demo-cluster-autoscaler");
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.getMetadata().getNamespace()).isEqualTo("tenant-acme");
            assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by",
                    "nestor-autoscaler-bridge").containsEntry("nestor.dev/cluster", "demo");
        });
    }

    @Test
    void theRoleGrantsExactlyTheManagementVerbsOfTheClusterApiProvider() {
        GenericKubernetesResource role = find(ManagementRenderer.render(input("v1.33.5", spec("{}"))), "Role",
                "demo-cluster-autoscaler");
        assertThat(role.getAdditionalProperties().get("rules")).isEqualTo(List.of(
                Map.of("apiGroups", List.of("cluster.x-k8s.io"),
                        "resources", List.of("machinedeployments", "machinedeployments/scale", "machines",
                                "machinesets", "machinepools"),
                        "verbs", List.of("get", "list", "update", "watch", "patch")),
                Map.of("apiGroups", List.of("infrastructure.cluster.x-k8s.io"),
                        "resources", List.of("kubevirtmachinetemplates"),
                        "verbs", List.of("get", "list", "watch"))));
    }

    @Test
    void theAutoscalerDiscoversOnlyItsOwnClusterAndReachesTheTenantThroughItsOwnKubeconfig() {
        List<String> args = container(input("v1.34.1", spec("{}"))).get("args") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        assertThat(args).contains("--cloud-provider=clusterapi", "--clusterapi-cloud-config-authoritative",
                "--node-group-auto-discovery=clusterapi:namespace=tenant-acme,clusterName=demo",
                "--kubeconfig=/etc/nestor/tenant/kubeconfig");
        assertThat(args).noneMatch(a -> a.startsWith("--cloud-config"));
        assertThat(args.toString()).doesNotContain("admin");
    }

    @ParameterizedTest(name = "{0} runs {1}, CAPI_VERSION={2}")
    @CsvSource(nullValues = "none", value = {
            "v1.32.9, registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1, v1beta1",
            "v1.33.5, registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0, v1beta1",
            "v1.34.1, registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0, none",
            "v1.34, registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0, none"})
    void theImageMinorMatchesTheTenantAndOlderOnesReadV1beta1(String version, String image, String capiVersion) {
        Map<String, Object> container = container(input(version, spec("{}")));
        assertThat(container.get("image")).isEqualTo(image);
        if (capiVersion == null) {
            assertThat(container).doesNotContainKey("env");
        } else {
            assertThat(container.get("env")).isEqualTo(List.of(Map.of("name", "CAPI_VERSION", "value", capiVersion)));
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{}|--scale-down-unneeded-time=10m --scale-down-delay-after-add=10m --scale-down-utilization-threshold=0.5 --expander=least-waste",
            "{\"autoscaling\":{\"scaleDownUnneededTime\":\"5m\",\"scaleDownDelayAfterAdd\":\"1m30s\",\"scaleDownUtilizationThreshold\":\"0.3\",\"expander\":\"most-pods\"}}|--scale-down-unneeded-time=5m --scale-down-delay-after-add=1m30s --scale-down-utilization-threshold=0.3 --expander=most-pods",
            "{\"autoscaling\":{\"scaleDownUnneededTime\":\"soon --v=9\",\"scaleDownUtilizationThreshold\":\"2\",\"expander\":\"grpc\"}}|--scale-down-unneeded-time=10m --scale-down-delay-after-add=10m --scale-down-utilization-threshold=0.5 --expander=least-waste",
            "{\"autoscaling\":null}|--scale-down-unneeded-time=10m --scale-down-delay-after-add=10m --scale-down-utilization-threshold=0.5 --expander=least-waste"})
    void scaleDownSettingsComeFromTheSpecWithDefaults(String spec, String flags) {
        assertThat(container(input("v1.33.5", spec(spec))).get("args").toString())
                .contains(String.join(", ", flags.split(" ")));
    }

    @Test
    void thePodIsHardened() {
        Map<String, Object> deployment = asMap(find(ManagementRenderer.render(input("v1.33.5", spec("{}"))),
                "Deployment", "demo-cluster-autoscaler"));
        assertThat(Fixtures.at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(Fixtures.at(deployment, "spec.template.spec.securityContext.seccompProfile.type"))
                .isEqualTo("RuntimeDefault");
        Map<String, Object> container = container(input("v1.33.5", spec("{}")));
        assertThat(Fixtures.at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(Fixtures.at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Fixtures.at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
    }

    @Test
    void aNewTenantKubeconfigRestartsTheAutoscaler() {
        AutoscalerInput a = input("v1.33.5", spec("{}"));
        AutoscalerInput b = new AutoscalerInput(a.namespace(), a.cluster(), a.kubernetesVersion(), a.image(),
                a.settings(), new TenantKubeconfig("https://demo:6443", "Q0EK", "other").render("demo"));
        assertThat(podAnnotations(a)).isNotEqualTo(podAnnotations(b));
        assertThat(podAnnotations(a)).isEqualTo(podAnnotations(input("v1.33.5", spec("{}"))));
    }

    private static Object podAnnotations(AutoscalerInput in) {
        return asMap(find(ManagementRenderer.render(in), "Deployment", "demo-cluster-autoscaler"))
                .get("spec") instanceof Map<?, ?> spec && spec.get("template") instanceof Map<?, ?> t
                && t.get("metadata") instanceof Map<?, ?> m ? m.get("annotations") : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(AutoscalerInput in) {
        Map<String, Object> d = asMap(find(ManagementRenderer.render(in), "Deployment", "demo-cluster-autoscaler"));
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) d.get("spec")).get("template");
        List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec"))
                .get("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }
}

package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the renderer makes of a cluster's add-ons: golden YAML for the example, and a table of the rules. */
class AddonRendererTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    static final ObjectMapper JSON = new ObjectMapper();

    static String yaml(List<DesiredAddon> desired) throws Exception {
        StringBuilder out = new StringBuilder();
        for (DesiredAddon addon : desired) {
            for (GenericKubernetesResource object : addon.objects()) {
                out.append("---\n").append(YAML.writeValueAsString(object));
            }
        }
        return out.toString();
    }

    @Test
    void theExampleRendersToGolden() throws Exception {
        String actual = yaml(Example.render(Example.ADDONS));
        Path golden = GOLDEN.resolve("example.yaml");
        if (Boolean.getBoolean("nestor.golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("regenerate with -Dnestor.golden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void everyReleaseInstallsIntoTheTenantThroughTheAdminKubeconfig() {
        for (DesiredAddon addon : Example.render(Example.ADDONS)) {
            JsonNode spec = spec(addon.release());
            assertThat(addon.release().getMetadata().getName()).isEqualTo("demo-" + addon.name());
            assertThat(addon.release().getMetadata().getNamespace()).isEqualTo("tenant-acme");
            assertThat(spec.at("/kubeConfig/secretRef/name").asText()).isEqualTo("demo-admin-kubeconfig");
            assertThat(spec.at("/kubeConfig/secretRef/key").asText()).isEqualTo("super-admin.svc");
            assertThat(spec.at("/install/createNamespace").asBoolean()).isTrue();
            assertThat(spec.at("/install/remediation/retries").asInt()).isEqualTo(-1);
            assertThat(spec.at("/upgrade/remediation/retries").asInt()).isEqualTo(-1);
            assertThat(spec.at("/targetNamespace").asText()).isEqualTo(spec.at("/storageNamespace").asText());
            assertThat(addon.release().getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "nestor-addon-service")
                    .containsEntry("nestor.dev/cluster", "demo")
                    .containsEntry("nestor.dev/cluster-uid", "0b5e2f0c-1111-4222-8333-944455556666");
            assertThat(addon.source().getMetadata().getLabels()).isEqualTo(addon.release().getMetadata().getLabels());
        }
    }

    @ParameterizedTest(name = "{0}: strategy {1}, dependsOn [{2}]")
    @CsvSource({
            "cilium, RetryOnFailure, ''",
            "coredns, RemediateOnFailure, demo-cilium",
            "kubevirt-csi-node, RetryOnFailure, demo-cilium",
            "metrics-server, RemediateOnFailure, demo-cilium",
            "cert-manager, RemediateOnFailure, demo-cilium",
    })
    void theCniComesFirstAndNeverUninstallsBetweenRetries(String addon, String strategy, String dependsOn) {
        JsonNode spec = spec(find(Example.render(Example.ADDONS), addon).release());
        assertThat(spec.at("/install/strategy/name").asText()).isEqualTo(strategy);
        assertThat(spec.at("/upgrade/strategy/name").asText()).isEqualTo(strategy);
        assertThat(spec.at("/install/strategy/retryInterval").isMissingNode()).isEqualTo(!strategy.equals("RetryOnFailure"));
        String deps = spec.path("dependsOn").findValuesAsText("name").stream().collect(Collectors.joining(","));
        assertThat(deps).isEqualTo(dependsOn);
    }

    @Test
    void ciliumIsKubeProxyFreeWithATunnelOnItsOwnPortAndTheUserValuesWin() {
        JsonNode values = spec(find(Example.render(Example.ADDONS), "cilium").release()).path("values");
        assertThat(values.path("kubeProxyReplacement").asBoolean()).isTrue();
        assertThat(values.path("routingMode").asText()).isEqualTo("tunnel");
        assertThat(values.path("tunnelPort").asInt()).isNotEqualTo(8472).isEqualTo(8473);
        assertThat(values.path("k8sServiceHost").asText()).isEqualTo("10.0.0.7");
        assertThat(values.path("k8sServicePort").isInt()).isTrue();
        assertThat(values.path("k8sServicePort").asInt()).isEqualTo(6443);
        // Deep merge: the user's hubble is added, the user's operator.replicas wins, nothing else is lost.
        assertThat(values.at("/hubble/enabled").asBoolean()).isTrue();
        assertThat(values.at("/operator/replicas").asInt()).isEqualTo(2);
        assertThat(values.at("/ipam/mode").asText()).isEqualTo("kubernetes");
    }

    @Test
    void coreDnsListensWhereTheKubeletsLookAndCsiMakesTheTenantStorageClass() {
        List<DesiredAddon> desired = Example.render(Example.ADDONS);
        JsonNode dns = spec(find(desired, "coredns").release()).path("values");
        assertThat(dns.at("/service/clusterIP").asText()).isEqualTo("10.96.0.10");
        JsonNode csi = spec(find(desired, "kubevirt-csi-node").release()).path("values");
        assertThat(csi.at("/storageClasses/0/provisioner").asText()).isEqualTo("csi.kubevirt.io");
        assertThat(csi.at("/storageClasses/0/default").asBoolean()).isTrue();
        assertThat(csi.at("/infraClusterNamespace").asText()).isEqualTo("tenant-acme");
    }

    @Test
    void anOciChartIsReferencedByChartRefAndPinnedByTag() {
        DesiredAddon certManager = find(Example.render(Example.ADDONS), "cert-manager");
        assertThat(certManager.source().getKind()).isEqualTo("OCIRepository");
        assertThat(spec(certManager.source()).at("/ref/tag").asText()).isEqualTo("v1.18.2");
        assertThat(spec(certManager.release()).at("/chartRef/kind").asText()).isEqualTo("OCIRepository");
        assertThat(spec(certManager.release()).at("/chartRef/name").asText()).isEqualTo("demo-cert-manager");
        assertThat(spec(certManager.release()).has("chart")).isFalse();
        DesiredAddon dns = find(Example.render(Example.ADDONS), "coredns");
        assertThat(dns.source().getKind()).isEqualTo("HelmRepository");
        assertThat(spec(dns.release()).at("/chart/spec/sourceRef/name").asText()).isEqualTo("demo-coredns");
    }

    @ParameterizedTest(name = "addons {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                              | cilium,coredns,kubevirt-csi-node,metrics-server",
            "{\"calico\":{\"enabled\":true}}                  | calico,coredns,kubevirt-csi-node,metrics-server",
            "{\"metrics-server\":{\"enabled\":false}}         | cilium,coredns,kubevirt-csi-node",
            "{\"velero\":{\"enabled\":true}}                  | cilium,coredns,kubevirt-csi-node,metrics-server,velero",
            "{\"konnectivity\":{\"enabled\":true}}            | cilium,coredns,kubevirt-csi-node,metrics-server",
            "{\"nonsense\":{\"enabled\":true}}                | cilium,coredns,kubevirt-csi-node,metrics-server",
    })
    void whatIsEnabled(String addons, String expected) {
        assertThat(Example.render(addons).stream().map(DesiredAddon::name).collect(Collectors.joining(",")))
                .isEqualTo(expected);
    }

    @Test
    void aDependencyTheClusterDoesNotRunIsDropped() {
        List<DesiredAddon> desired = Example.render(
                "{\"calico\":{\"enabled\":true},\"kubevirt-csi-node\":{\"enabled\":false},\"velero\":{\"enabled\":true}}");
        assertThat(find(desired, "velero").dependsOn()).containsExactly("calico");
        assertThat(find(desired, "coredns").dependsOn()).containsExactly("calico");
    }

    @Test
    void aUserNullRemovesADefaultAndListsAreReplaced() {
        List<DesiredAddon> desired = Example.render(
                "{\"metrics-server\":{\"values\":{\"args\":[\"--kubelet-insecure-tls\"]}},\"cilium\":{\"values\":{\"MTU\":null}}}");
        assertThat(spec(find(desired, "metrics-server").release()).at("/values/args").toString())
                .isEqualTo("[\"--kubelet-insecure-tls\"]");
        assertThat(spec(find(desired, "cilium").release()).path("values").has("MTU")).isFalse();
    }

    @Test
    void anUnknownVariableInTheCatalogIsRefused() {
        assertThatThrownBy(() -> Values.substitute(JSON.readTree("{\"a\":\"${nope}\"}"), Example.facts(null).variables()))
                .hasMessageContaining("${nope}");
    }

    static DesiredAddon find(List<DesiredAddon> desired, String name) {
        return desired.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    static JsonNode spec(GenericKubernetesResource object) {
        return JSON.valueToTree(object.getAdditionalProperties().get("spec"));
    }
}

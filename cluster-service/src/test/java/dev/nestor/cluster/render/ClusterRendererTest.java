package dev.nestor.cluster.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Taint;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.validate.SpecDefaults;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden-YAML tests of the renderers: the example cluster renders exactly to golden/demo.yaml. */
class ClusterRendererTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final ObjectMapper JSON = new ObjectMapper();

    static RenderInput input(TenantClusterSpec spec, Set<String> live) {
        return new RenderInput("tenant-acme", "demo", SpecDefaults.apply(spec), "v1.33.5", "v1.33.5",
                "quay.io/capk/ubuntu-2404-container-disk:v1.33.5", TestCatalog.CATALOG, live);
    }

    static String yaml(List<GenericKubernetesResource> objects) {
        return objects.stream().map(Serialization::asYaml).collect(Collectors.joining());
    }

    static void assertGolden(String file, String actual) throws Exception {
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("nestor.golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("regenerate with -Dnestor.golden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void exampleRendersToGolden() throws Exception {
        Desired desired = ClusterRenderer.render(input(TestCatalog.exampleSpec(), Set.of()));
        assertGolden("demo.yaml", yaml(desired.objects()));
    }

    @Test
    void everyGroupGetsTemplatesDeploymentAndHealthCheckInApplyOrder() {
        Desired desired = ClusterRenderer.render(input(TestCatalog.exampleSpec(), Set.of()));
        assertThat(desired.objects()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .startsWith("KubevirtCluster/demo", "KamajiControlPlane/demo", "Cluster/demo")
                .contains("MachineDeployment/demo-md0", "MachineDeployment/demo-big",
                        "MachineHealthCheck/demo-md0", "MachineHealthCheck/demo-big");
        assertThat(desired.objects()).allSatisfy(r -> {
            assertThat(r.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "nestor-cluster-service")
                    .containsEntry(Labels.CLUSTER, "demo");
            assertThat(r.getMetadata().getName().length()).isLessThanOrEqualTo(63);
        });
    }

    @Test
    void autoscaledGroupsLeaveReplicasToTheAutoscalerAndFixedGroupsCarryThem() {
        Desired desired = ClusterRenderer.render(input(TestCatalog.exampleSpec(), Set.of()));
        GenericKubernetesResource md0 = find(desired, "MachineDeployment", "demo-md0");
        GenericKubernetesResource big = find(desired, "MachineDeployment", "demo-big");
        assertThat(spec(md0)).doesNotContainKey("replicas");
        assertThat(md0.getMetadata().getAnnotations())
                .containsEntry(Labels.AUTOSCALER_MIN, "1").containsEntry(Labels.AUTOSCALER_MAX, "3")
                .containsEntry(Labels.CAPACITY_PREFIX + "cpu", "1").containsEntry(Labels.CAPACITY_PREFIX + "memory", "4Gi");
        assertThat(spec(big)).containsEntry("replicas", 2);
        assertThat(big.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void aChangedGroupGetsNewTemplateNamesAndLiveOnesAreKept() {
        TenantClusterSpec spec = TestCatalog.exampleSpec();
        Desired before = ClusterRenderer.render(input(spec, Set.of()));
        String oldInfra = templateRef(find(before, "MachineDeployment", "demo-md0"), "infrastructureRef");

        TenantClusterSpec changed = TestCatalog.exampleSpec();
        changed.nodeGroups.get(0).instanceType = "u1.large";
        Desired after = ClusterRenderer.render(input(changed, Set.of(oldInfra)));
        String newInfra = templateRef(find(after, "MachineDeployment", "demo-md0"), "infrastructureRef");

        assertThat(newInfra).isNotEqualTo(oldInfra).startsWith("demo-md0-");
        assertThat(after.keepTemplates()).contains(oldInfra, newInfra);
        assertThat(ClusterRenderer.render(input(changed, Set.of())).keepTemplates()).doesNotContain(oldInfra);
    }

    @Test
    void renderingIsAPureFunctionOfItsInput() {
        String first = yaml(ClusterRenderer.render(input(TestCatalog.exampleSpec(), Set.of())).objects());
        String second = yaml(ClusterRenderer.render(input(TestCatalog.exampleSpec(), Set.of())).objects());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void rolesLabelsAndTaintsGoWhereCapiAndTheKubeletApplyThem() {
        TenantClusterSpec spec = TestCatalog.exampleSpec();
        NodeGroup g = spec.nodeGroups.get(0);
        g.roles = List.of("ingress");
        g.labels = Map.of("tier", "web");
        Taint t = new Taint();
        t.key = "dedicated";
        t.value = "web";
        t.effect = "NoSchedule";
        g.taints = List.of(t);
        Desired desired = ClusterRenderer.render(input(spec, Set.of()));
        var md = find(desired, "MachineDeployment", "demo-md0");
        String yaml = Serialization.asYaml(md);
        assertThat(yaml).contains("node-role.kubernetes.io/ingress: \"\"").doesNotContain("propagation");
        assertThat(md.getMetadata().getAnnotations()).containsEntry(Labels.CAPACITY_PREFIX + "taints", "dedicated=web:NoSchedule")
                .containsEntry(Labels.CAPACITY_PREFIX + "labels", "tier=web,node-role.kubernetes.io/ingress=");
        String kct = Serialization.asYaml(desired.objects().stream()
                .filter(r -> r.getKind().equals("KubeadmConfigTemplate") && r.getMetadata().getName().startsWith("demo-md0-"))
                .findFirst().orElseThrow());
        assertThat(kct).contains("value: \"tier=web\"", "value: \"external\"", "key: \"dedicated\"", "effect: \"NoSchedule\"");
    }

    static GenericKubernetesResource find(Desired d, String kind, String name) {
        return d.objects().stream().filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    static String templateRef(GenericKubernetesResource md, String ref) {
        Map<String, Object> template = (Map<String, Object>) spec(md).get("template");
        Map<String, Object> tspec = (Map<String, Object>) template.get("spec");
        return (String) ((Map<String, Object>) tspec.get(ref)).get("name");
    }
}

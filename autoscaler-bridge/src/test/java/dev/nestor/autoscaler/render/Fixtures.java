package dev.nestor.autoscaler.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs and golden-file helpers shared by the renderer tests. */
final class Fixtures {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final ObjectMapper JSON = new ObjectMapper();
    static final AutoscalerImages IMAGES = new AutoscalerImages(Map.of(
            "v1.32", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1",
            "v1.33", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0",
            "v1.34", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0"));
    static final String KUBECONFIG = new TenantKubeconfig("https://demo.tenant-acme.svc:6443", "Q0EK", "s3cr3t")
            .render("demo");

    private Fixtures() {
    }

    static AutoscalerInput input(String version, JsonNode spec) {
        return new AutoscalerInput("tenant-acme", "demo", version, IMAGES.imageFor(version).orElseThrow(),
                ScaleDownSettings.from(spec), KUBECONFIG);
    }

    static JsonNode spec(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static GenericKubernetesResource find(List<GenericKubernetesResource> objects, String kind, String name) {
        return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(GenericKubernetesResource r) {
        return JSON.convertValue(r, Map.class);
    }

    /** A MachineDeployment as CAPI stores it, optionally with the autoscaler annotations. */
    static GenericKubernetesResource machineDeployment(String cluster, String group, String min, String max,
            Integer replicas, Integer statusReplicas) {
        GenericKubernetesResource md = new GenericKubernetesResource();
        md.setApiVersion("cluster.x-k8s.io/v1beta2");
        md.setKind("MachineDeployment");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(cluster + "-" + group);
        meta.setNamespace("tenant-acme");
        meta.setLabels(Map.of("nestor.dev/node-group", group, "nestor.dev/cluster", cluster));
        Map<String, String> annotations = new LinkedHashMap<>();
        if (min != null) {
            annotations.put(Labels.AUTOSCALER_MIN, min);
        }
        if (max != null) {
            annotations.put(Labels.AUTOSCALER_MAX, max);
        }
        meta.setAnnotations(annotations);
        md.setMetadata(meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterName", cluster);
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        md.setAdditionalProperty("spec", spec);
        if (statusReplicas != null) {
            md.setAdditionalProperty("status", Map.of("replicas", statusReplicas, "readyReplicas", statusReplicas));
        }
        return md;
    }

    /** The value at a dotted path of nested maps, null when absent. */
    static Object at(Map<String, Object> object, String path) {
        Object current = object;
        for (String key : path.split("\\.")) {
            current = current instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return current;
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
}

package dev.nestor.cluster.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.Gpu;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Taint;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.model.AutoscalingSpec;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every object the renderers produce validates against the upstream schema and CEL rules of its
 * apiVersion (../shared/crds), and nothing in it would be pruned by the API server.
 */
class RenderedSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SchemaValidator validator;

    @BeforeAll
    static void loadSchemas() {
        var upstream = ReactorPaths.upstreamCrds();
        assumeTrue(upstream.isPresent(), "../shared/crds is absent: upstream schema validation skipped");
        validator = SchemaValidator.load(upstream.get());
    }

    static TenantClusterSpec richSpec() {
        TenantClusterSpec spec = TestCatalog.exampleSpec();
        NodeGroup g = spec.nodeGroups.get(0);
        g.roles = List.of("ingress");
        g.labels = Map.of("tier", "web");
        g.storageClass = "replicated";
        Taint t = new Taint();
        t.key = "dedicated";
        t.value = "web";
        t.effect = "NoSchedule";
        g.taints = List.of(t);
        Gpu gpu = new Gpu();
        gpu.deviceName = "nvidia.com/TU104GL_Tesla_T4";
        g.gpus = List.of(gpu);
        spec.autoscaling = new AutoscalingSpec();
        spec.autoscaling.scaleDownUnneededTime = "5m";
        return spec;
    }

    @Test
    void theExampleValidates() {
        assertValid(ClusterRenderer.render(ClusterRendererTest.input(TestCatalog.exampleSpec(), Set.of())).objects());
    }

    @Test
    void aSpecUsingEveryFieldValidates() {
        assertValid(ClusterRenderer.render(ClusterRendererTest.input(richSpec(), Set.of())).objects());
    }

    @Test
    void theValidatorRejectsWhatTheApiServerWould() {
        GenericKubernetesResource md = ClusterRendererTest.find(
                ClusterRenderer.render(ClusterRendererTest.input(TestCatalog.exampleSpec(), Set.of())),
                "MachineDeployment", "demo-md0");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = JSON.convertValue(md, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) object.get("spec");
        spec.put("colour", "red");
        spec.remove("clusterName");
        assertThat(validator.prunedFields(md.getApiVersion(), md.getKind(), object)).anyMatch(f -> f.contains("colour"));
        assertThat(validator.validate(md.getApiVersion(), md.getKind(), object)).anyMatch(e -> e.contains("clusterName"));
    }

    static void assertValid(List<GenericKubernetesResource> objects) {
        for (GenericKubernetesResource r : objects) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = JSON.convertValue(r, Map.class);
            String what = r.getKind() + " " + r.getMetadata().getName();
            assertThat(validator.knows(r.getApiVersion(), r.getKind())).as(what + " has an upstream schema").isTrue();
            assertThat(validator.validate(r.getApiVersion(), r.getKind(), object)).as(what).isEmpty();
            assertThat(validator.prunedFields(r.getApiVersion(), r.getKind(), object)).as(what + " unknown fields").isEmpty();
        }
    }
}

package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.addon.catalog.CatalogEntry;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every object the renderer can produce validates against Flux's schemas and CEL rules (../shared/crds/fluxcd), and
 * nothing in it would be pruned by the API server.
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

    @Test
    void everyAddonOfTheCatalogValidates() {
        String everything = Example.CATALOG.entries().stream().filter(e -> !e.builtIn() && !e.name().equals("calico"))
                .map(CatalogEntry::name).map(n -> "\"" + n + "\":{\"enabled\":true}").collect(Collectors.joining(",", "{", "}"));
        var desired = Example.render(everything);
        assertThat(desired).hasSize((int) Example.CATALOG.entries().stream().filter(e -> !e.builtIn()).count() - 1);
        desired.forEach(d -> d.objects().forEach(RenderedSchemaTest::assertValid));
        Example.render("{\"calico\":{\"enabled\":true}}").forEach(d -> d.objects().forEach(RenderedSchemaTest::assertValid));
    }

    @Test
    void theValidatorRejectsWhatTheApiServerWould() {
        GenericKubernetesResource release = AddonRendererTest.find(Example.render("{}"), "coredns").release();
        @SuppressWarnings("unchecked")
        Map<String, Object> object = JSON.convertValue(release, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) object.get("spec");
        spec.put("chartRef", Map.of("kind", "OCIRepository", "name", "x"));
        assertThat(validator.validate(release.getApiVersion(), release.getKind(), object))
                .anyMatch(e -> e.contains("either chart or chartRef"));
    }

    static void assertValid(GenericKubernetesResource object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(object, Map.class);
        String what = object.getKind() + " " + object.getMetadata().getName();
        assertThat(validator.validate(object.getApiVersion(), object.getKind(), map)).as(what).isEmpty();
        assertThat(validator.prunedFields(object.getApiVersion(), object.getKind(), map)).as(what).isEmpty();
    }
}

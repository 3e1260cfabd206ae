package dev.nestor.autoscaler.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.nestor.autoscaler.render.Fixtures.input;
import static dev.nestor.autoscaler.render.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every object autoscaler-bridge renders would be accepted by a real API server with nothing dropped.
 *
 * <p>All of them are built-in kinds, and ../shared/crds holds only the upstream CRDs (plus a few core/v1 pieces
 * inside KubeVirt's OpenAPI document), so the SchemaValidator knows none of them. Built-ins are therefore checked
 * against the Kubernetes API types themselves (fabric8's generated model of the OpenAPI schema): every field must
 * bind to a declared field (an unknown one is what the API server prunes or rejects), the object must survive a
 * round trip unchanged (types match), and the few server-side validations a schema does not express are asserted
 * here. Any kind the SchemaValidator does know is validated by it, CEL included.
 */
class RenderedSchemaTest {
    static SchemaValidator validator;
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    @BeforeAll
    static void loadSchemas() {
        var upstream = ReactorPaths.upstreamCrds();
        assumeTrue(upstream.isPresent(), "../shared/crds is absent: upstream schema validation skipped");
        validator = SchemaValidator.load(upstream.get());
    }

    static List<GenericKubernetesResource> everything() {
        List<GenericKubernetesResource> all = new ArrayList<>();
        for (String version : List.of("v1.32.9", "v1.33.5", "v1.34.1")) {
            all.addAll(ManagementRenderer.render(input(version, spec(
                    "{\"autoscaling\":{\"scaleDownUnneededTime\":\"5m\",\"expander\":\"priority\"}}"))));
        }
        all.addAll(TenantRenderer.render("demo", ScaleDownSettings.from(spec("{\"autoscaling\":{\"expander\":\"priority\"}}"))));
        return all;
    }

    @Test
    void everyRenderedObjectValidates() {
        for (GenericKubernetesResource r : everything()) {
            String what = r.getKind() + " " + r.getMetadata().getName();
            JsonNode original = Fixtures.JSON.valueToTree(r);
            if (validator.knows(r.getApiVersion(), r.getKind())) {
                assertThat(validator.validate(r.getApiVersion(), r.getKind(), original)).as(what).isEmpty();
                assertThat(validator.prunedFields(r.getApiVersion(), r.getKind(), original)).as(what).isEmpty();
                continue;
            }
            HasMetadata typed = Serialization.unmarshal(original.toString());
            assertThat(typed).as(what + " is a built-in kind").isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(unknownFields(typed)).as(what + " unknown fields").isEmpty();
            JsonNode roundTrip = Fixtures.JSON.valueToTree(typed);
            assertThat(roundTrip).as(what + " survives a round trip").isEqualTo(original);
            assertThat(r.getMetadata().getName()).as(what).matches(r.getKind().contains("Role")
                    ? Pattern.compile("[^/%]+") : DNS_SUBDOMAIN);
        }
    }

    @Test
    void theDeploymentSelectsItsOwnPodsAndMountsWhatItDeclares() {
        for (GenericKubernetesResource r : everything()) {
            if (!(Serialization.unmarshal(Fixtures.JSON.valueToTree(r).toString()) instanceof Deployment d)) {
                continue;
            }
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getContainers()).allSatisfy(c -> assertThat(c.getVolumeMounts())
                    .allSatisfy(m -> assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals(m.getName()))));
            assertThat(pod.getContainers()).allSatisfy(c -> assertThat(c.getLivenessProbe().getHttpGet().getPort()
                    .getStrVal()).isIn(c.getPorts().stream().map(p -> p.getName()).toList()));
        }
    }

    @Test
    void theCheckCatchesAFieldTheApiServerWouldDrop() {
        GenericKubernetesResource d = Fixtures.find(ManagementRenderer.render(input("v1.33.5", spec("{}"))),
                "Deployment", "demo-cluster-autoscaler");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) d.getAdditionalProperties().get("spec");
        spec.put("colour", "red");
        assertThat(unknownFields(Serialization.unmarshal(Fixtures.JSON.valueToTree(d).toString())))
                .containsExactly("DeploymentSpec.colour");
    }

    /** Fields that bound to no declared field anywhere in a typed object ({@code additionalProperties}). */
    static List<String> unknownFields(Object typed) {
        List<String> out = new ArrayList<>();
        walk(typed, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void walk(Object o, List<String> out, Set<Object> seen) {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(i -> walk(i, out, seen));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.values().forEach(v -> walk(v, out, seen));
            return;
        }
        if (!(o instanceof KubernetesResource)) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> out.add(o.getClass().getSimpleName() + "." + k));
            } else {
                walk(value, out, seen);
            }
        }
    }
}

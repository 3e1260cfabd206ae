package dev.nestor.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadSchemaTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(resolvers -> resolvers.mapPrefix(PayloadSchema.BASE_URI,
                    "classpath:schemas/")));

    @ParameterizedTest
    @EnumSource(PayloadSchema.class)
    void schemaIsValidDraft202012WithItsUriAsId(PayloadSchema payload) throws Exception {
        String text = Schemas.text(payload);
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        assertThat(metaSchema.validate(text, InputFormat.JSON)).isEmpty();
        JsonNode schema = EventJson.mapper().readTree(text);
        assertThat(schema.path("$id").asText()).isEqualTo(payload.uri());
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("title").asText()).isEqualTo(payload.payloadClass().getSimpleName());
    }

    @ParameterizedTest
    @EnumSource(PayloadSchema.class)
    void samplePayloadValidates(PayloadSchema payload) {
        assertThat(errors(payload, EventJson.canonicalBytes(Samples.payload(payload)))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(PayloadSchema.class)
    void payloadWithUnknownFieldFails(PayloadSchema payload) {
        List<Error> errors = errors(payload, mutated(payload, o -> o.put("surprise", true)));

        assertThat(errors).extracting(Error::getKeyword).contains("additionalProperties");
    }

    @ParameterizedTest
    @EnumSource(PayloadSchema.class)
    void payloadWithoutItsClusterFails(PayloadSchema payload) {
        String field = payload == PayloadSchema.CLUSTER_LIFECYCLE || payload == PayloadSchema.CLUSTER_STATE
                ? "uid" : "clusterUid";

        List<Error> errors = errors(payload, mutated(payload, o -> o.remove(field)));

        assertThat(errors).extracting(Error::getKeyword).containsExactly("required");
        assertThat(errors.get(0).getMessage()).contains(field);
    }

    @Test
    void wrongEnumValuesAndTypesFail() {
        assertThat(errors(PayloadSchema.CLUSTER_LIFECYCLE, mutated(PayloadSchema.CLUSTER_LIFECYCLE,
                o -> o.put("phase", "Exploded")))).extracting(Error::getKeyword).contains("enum");
        assertThat(errors(PayloadSchema.ADDON_STATE, mutated(PayloadSchema.ADDON_STATE,
                o -> ((ObjectNode) o.withArray("addons").get(0)).put("state", "installed"))))
                .extracting(Error::getKeyword).contains("enum");
        assertThat(errors(PayloadSchema.NODEGROUP_SCALED, mutated(PayloadSchema.NODEGROUP_SCALED,
                o -> o.put("to", "three")))).extracting(Error::getKeyword).contains("type");
        assertThat(errors(PayloadSchema.CLUSTER_STATE, mutated(PayloadSchema.CLUSTER_STATE,
                o -> o.withObject("spec").putObject("addons").putObject("cilium").putObject("values"))))
                .isNotEmpty();
    }

    @Test
    void everyEventTypeNamesAnExistingSchema() {
        for (String type : EventTypes.all()) {
            assertThat(Schemas.uriOf(type)).isEqualTo(Schemas.of(type).uri());
            assertThat(PayloadSchemaTest.class.getClassLoader().getResource(Schemas.resourcePathOf(type)))
                    .as(type).isNotNull();
        }
        assertThat(Schemas.byUri("https://nestor.dev/schemas/addon-state/v1.json")).contains(PayloadSchema.ADDON_STATE);
    }

    private static List<Error> errors(PayloadSchema payload, byte[] json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(payload.uri()));
        return schema.validate(new String(json, java.nio.charset.StandardCharsets.UTF_8), InputFormat.JSON);
    }

    private static byte[] mutated(PayloadSchema payload, Consumer<ObjectNode> change) {
        ObjectNode tree = EventJson.mapper().valueToTree(Samples.payload(payload));
        change.accept(tree);
        return EventJson.canonicalBytes(tree);
    }
}

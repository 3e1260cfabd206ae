package dev.nestor.cluster.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.model.AddonSpec;
import dev.nestor.cluster.model.AutoscalingSpec;
import dev.nestor.cluster.model.ControlPlaneSpec;
import dev.nestor.cluster.model.Gpu;
import dev.nestor.cluster.model.NetworkSpec;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Resources;
import dev.nestor.cluster.model.Taint;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.model.TenantSpec;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;

import java.util.List;

/**
 * Reads a flat request body ({@code name} plus spec fields) strictly: unknown fields and wrong
 * types are 400s naming the field, where the CRD types themselves stay lenient for kubectl.
 */
final class RequestParser {
    /** Overrides the lenient {@code ignoreUnknown} of the model classes for REST input. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    private interface Strict {
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addMixIn(TenantClusterSpec.class, Strict.class).addMixIn(ControlPlaneSpec.class, Strict.class)
            .addMixIn(NetworkSpec.class, Strict.class).addMixIn(NodeGroup.class, Strict.class)
            .addMixIn(Resources.class, Strict.class).addMixIn(Taint.class, Strict.class)
            .addMixIn(Gpu.class, Strict.class).addMixIn(AddonSpec.class, Strict.class)
            .addMixIn(AutoscalingSpec.class, Strict.class)
            .addMixIn(TenantSpec.class, Strict.class).addMixIn(TenantSpec.Quota.class, Strict.class)
            .build();

    private RequestParser() {
    }

    /** A parsed create request. */
    record CreateRequest(String name, TenantClusterSpec spec) {
    }

    static CreateRequest parseCreate(String body) {
        JsonNode tree = readTree(body);
        if (!(tree instanceof ObjectNode object)) {
            throw badRequest("malformed-json", "the body is a JSON object", null);
        }
        JsonNode name = object.remove("name");
        if (name != null && !name.isTextual()) {
            throw badRequest("wrong-type", "name is a string", "name");
        }
        return new CreateRequest(name == null ? null : name.asText(), toSpec(object));
    }

    /** Applies an RFC 7386 JSON merge patch (the body) to a spec and reads the result strictly. */
    static TenantClusterSpec mergePatch(TenantClusterSpec current, String body) {
        JsonNode patch = readTree(body);
        if (!(patch instanceof ObjectNode)) {
            throw badRequest("malformed-json", "a merge patch of the spec is a JSON object", null);
        }
        if (patch.has("name")) {
            throw badRequest("immutable-field", "a cluster cannot be renamed", "name");
        }
        JsonNode merged = merge(STRICT.valueToTree(current), patch);
        return toSpec((ObjectNode) merged);
    }

    /** Reads a full flat body for PUT; its name, when given, must be the one in the path. */
    static TenantClusterSpec parseReplace(String body, String name) {
        CreateRequest request = parseCreate(body);
        if (request.name() != null && !request.name().equals(name)) {
            throw badRequest("immutable-field", "a cluster cannot be renamed", "name");
        }
        return request.spec();
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : STRICT.createObjectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    /** No spec comes near this; a bigger body is a mistake or an attack. */
    static final int MAX_BODY_CHARS = 256 * 1024;

    private static JsonNode readTree(String body) {
        if (body == null || body.isBlank()) {
            throw badRequest("malformed-json", "the request has no body", null);
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new ProblemException(Problem.of(413, "body-too-large", "Content Too Large",
                    "a request body has at most " + MAX_BODY_CHARS + " characters"));
        }
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw badRequest("malformed-json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    /** Reads a tenant onboarding body; numbers must be whole where counts are meant. */
    static TenantSpec parseTenant(String body) {
        JsonNode tree = readTree(body);
        if (!(tree instanceof ObjectNode object)) {
            throw badRequest("malformed-json", "the body is a JSON object", null);
        }
        return strictly(object, STRICT.readerFor(TenantSpec.class).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT));
    }

    private static TenantClusterSpec toSpec(ObjectNode object) {
        return strictly(object, STRICT.readerFor(TenantClusterSpec.class));
    }

    private static <T> T strictly(ObjectNode object, ObjectReader reader) {
        try {
            return reader.readValue(object);
        } catch (UnrecognizedPropertyException e) {
            throw badRequest("unknown-field", "unknown field '" + e.getPropertyName() + "'", path(e));
        } catch (MismatchedInputException e) {
            throw badRequest("wrong-type", "wrong type at " + path(e) + ": expected "
                    + (e.getTargetType() == null ? "another type" : simpleType(e.getTargetType())), path(e));
        } catch (JsonProcessingException e) {
            throw badRequest("malformed-json", e.getOriginalMessage(), e instanceof JsonMappingException m ? path(m) : null);
        } catch (java.io.IOException e) {
            throw badRequest("malformed-json", e.getMessage(), null);
        }
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String simpleType(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static ProblemException badRequest(String slug, String detail, String field) {
        Problem p = Problem.of(400, slug, "Bad Request", detail);
        if (field != null) {
            p = p.withErrors(List.of(new Problem.FieldError(field, slug, detail)));
        }
        return new ProblemException(p);
    }
}

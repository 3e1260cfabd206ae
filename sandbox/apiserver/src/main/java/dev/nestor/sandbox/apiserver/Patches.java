package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;

/** JSON patch, JSON merge patch and (for built-in kinds) strategic merge patch. */
final class Patches {
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC = "application/strategic-merge-patch+json";
  static final String APPLY_YAML = "application/apply-patch+yaml";

  private Patches() {
  }

  static ObjectNode apply(ResourceType type, String contentType, JsonNode target, JsonNode patch) {
    String ct = contentType == null ? "" : contentType.split(";")[0].trim();
    JsonNode result;
    switch (ct) {
      case JSON_PATCH -> {
        try {
          result = JsonPatch.apply(patch, target);
        } catch (RuntimeException e) {
          throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: "
              + e.getMessage(), null);
        }
      }
      case MERGE_PATCH -> result = mergePatch(target, patch);
      case STRATEGIC -> {
        if (type.custom()) {
          throw ApiException.unsupportedMediaType(ct);
        }
        result = strategic(target, patch, null);
      }
      default -> throw ApiException.unsupportedMediaType(ct);
    }
    if (!(result instanceof ObjectNode o)) {
      throw ApiException.badRequest("patch did not produce an object");
    }
    return o;
  }

  /** RFC 7386. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  /**
   * An approximation of strategic merge patch: a merge patch where the well-known keyed lists of built-in kinds
   * (containers, env, ports, volumes, conditions...) merge by key, honouring {@code $patch: delete|replace}.
   */
  private static JsonNode strategic(JsonNode target, JsonNode patch, String field) {
    if (patch.isObject()) {
      if ("replace".equals(patch.path("$patch").asText())) {
        ObjectNode copy = ((ObjectNode) patch).deepCopy();
        copy.remove("$patch");
        return copy;
      }
      ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
      patch.fields().forEachRemaining(e -> {
        String k = e.getKey();
        if (k.startsWith("$")) {
          return;
        }
        if (e.getValue().isNull()) {
          result.remove(k);
        } else {
          result.set(k, strategic(result.get(k), e.getValue(), k));
        }
      });
      return result;
    }
    if (patch.isArray() && target != null && target.isArray()) {
      ListKeys.Semantics sem = ListKeys.of(null, field, patch, true);
      if (sem.kind() == ListKeys.Kind.MAP) {
        ArrayNode result = ((ArrayNode) target).deepCopy();
        for (JsonNode item : patch) {
          if (!item.isObject()) {
            return patch.deepCopy();
          }
          int i = ListKeys.indexByKeys(result, item, sem.keys());
          if ("delete".equals(item.path("$patch").asText())) {
            if (i >= 0) {
              result.remove(i);
            }
          } else if (i >= 0) {
            result.set(i, strategic(result.get(i), item, null));
          } else {
            ObjectNode copy = ((ObjectNode) item).deepCopy();
            copy.remove(List.of("$patch"));
            result.add(copy);
          }
        }
        return result;
      }
    }
    return patch.deepCopy();
  }
}

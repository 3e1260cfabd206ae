package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeSet;

/** How a list merges: atomic, set, or map keyed by fields (from the schema, or well known for built-in kinds). */
final class ListKeys {
  /** List semantics of one list-valued field. */
  enum Kind { ATOMIC, SET, MAP }

  /** The semantics and, for maps, the key fields. */
  record Semantics(Kind kind, List<String> keys) {
    static final Semantics ATOMIC = new Semantics(Kind.ATOMIC, List.of());
  }

  private ListKeys() {
  }

  /**
   * Semantics of a list field.
   *
   * @param schema the list's schema, null when unknown
   * @param schemaless true when the whole kind has no schema (built-in kinds): well-known lists then merge by key
   */
  static Semantics of(StructuralSchema schema, String field, JsonNode list, boolean schemaless) {
    if (schema != null && !schema.listType.isEmpty()) {
      return switch (schema.listType) {
        case "map" -> new Semantics(Kind.MAP, schema.listMapKeys);
        case "set" -> new Semantics(Kind.SET, List.of());
        default -> Semantics.ATOMIC;
      };
    }
    switch (field == null ? "" : field) {
      case "finalizers":
        return new Semantics(Kind.SET, List.of());
      case "ownerReferences":
        return new Semantics(Kind.MAP, List.of("uid"));
      default:
        break;
    }
    if (!schemaless) {
      return Semantics.ATOMIC;
    }
    return switch (field == null ? "" : field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets" ->
          new Semantics(Kind.MAP, List.of("name"));
      case "volumeMounts" -> new Semantics(Kind.MAP, List.of("mountPath"));
      case "conditions" -> new Semantics(Kind.MAP, List.of("type"));
      case "ports" -> {
        JsonNode first = list != null && list.size() > 0 ? list.get(0) : null;
        boolean container = first != null && first.has("containerPort");
        yield new Semantics(Kind.MAP, container ? List.of("containerPort", "protocol") : List.of("port", "protocol"));
      }
      default -> Semantics.ATOMIC;
    };
  }

  /** The item's key as fieldsV1 writes it: the key fields in name order ({@code {"name":"c"}}). */
  static String keyJson(JsonNode item, List<String> keys) {
    ObjectNode k = Json.object();
    for (String key : new TreeSet<>(keys)) {
      JsonNode v = item.get(key);
      if (v != null && !v.isNull()) {
        k.set(key, v);
      } else if (key.equals("protocol")) {
        k.put(key, "TCP");
      }
    }
    return Json.write(k);
  }

  static int indexByKeys(JsonNode list, JsonNode item, List<String> keys) {
    if (list == null || !list.isArray() || item == null || !item.isObject()) {
      return -1;
    }
    String wanted = keyJson(item, keys);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).isObject() && keyJson(list.get(i), keys).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  static JsonNode findByKeys(JsonNode list, JsonNode item, List<String> keys) {
    int i = indexByKeys(list, item, keys);
    return i < 0 ? null : list.get(i);
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One node of a CRD's {@code openAPIV3Schema}, parsed once: the structural subset the API server enforces. */
final class StructuralSchema {
  String type = "";
  final Map<String, StructuralSchema> properties = new LinkedHashMap<>();
  StructuralSchema additionalProperties;
  boolean additionalPropertiesAllowed;
  StructuralSchema items;
  final List<String> required = new ArrayList<>();
  List<JsonNode> enumValues;
  Pattern pattern;
  String patternText;
  Double minimum;
  Double maximum;
  boolean exclusiveMinimum;
  boolean exclusiveMaximum;
  Double multipleOf;
  Long minLength;
  Long maxLength;
  Long minItems;
  Long maxItems;
  Long minProperties;
  Long maxProperties;
  String format = "";
  boolean nullable;
  JsonNode defaultValue;
  boolean preserveUnknown;
  boolean embedded;
  boolean intOrString;
  String listType = "";
  List<String> listMapKeys = List.of();
  String mapType = "";
  final List<CelRules.Rule> rules = new ArrayList<>();
  final List<StructuralSchema> allOf = new ArrayList<>();
  final List<StructuralSchema> anyOf = new ArrayList<>();
  final List<StructuralSchema> oneOf = new ArrayList<>();
  StructuralSchema not;

  static StructuralSchema parse(JsonNode node, CelRules cel) {
    StructuralSchema s = new StructuralSchema();
    if (node == null || !node.isObject()) {
      s.preserveUnknown = true;
      return s;
    }
    s.type = node.path("type").asText("");
    node.path("properties").fields().forEachRemaining(e -> s.properties.put(e.getKey(), parse(e.getValue(), cel)));
    JsonNode ap = node.get("additionalProperties");
    if (ap != null && ap.isObject()) {
      s.additionalProperties = parse(ap, cel);
      s.additionalPropertiesAllowed = true;
    } else if (ap != null && ap.isBoolean()) {
      s.additionalPropertiesAllowed = ap.asBoolean();
    }
    if (node.has("items") && node.get("items").isObject()) {
      s.items = parse(node.get("items"), cel);
    }
    node.path("required").forEach(r -> s.required.add(r.asText()));
    if (node.has("enum")) {
      s.enumValues = new ArrayList<>();
      node.get("enum").forEach(s.enumValues::add);
    }
    if (node.has("pattern")) {
      s.patternText = node.get("pattern").asText();
      try {
        s.pattern = Pattern.compile(s.patternText);
      } catch (RuntimeException e) {
        s.pattern = null;
      }
    }
    s.minimum = number(node, "minimum");
    s.maximum = number(node, "maximum");
    s.multipleOf = number(node, "multipleOf");
    s.exclusiveMinimum = node.path("exclusiveMinimum").asBoolean(false);
    s.exclusiveMaximum = node.path("exclusiveMaximum").asBoolean(false);
    s.minLength = integer(node, "minLength");
    s.maxLength = integer(node, "maxLength");
    s.minItems = integer(node, "minItems");
    s.maxItems = integer(node, "maxItems");
    s.minProperties = integer(node, "minProperties");
    s.maxProperties = integer(node, "maxProperties");
    s.format = node.path("format").asText("");
    s.nullable = node.path("nullable").asBoolean(false);
    s.defaultValue = node.get("default");
    s.preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    s.embedded = node.path("x-kubernetes-embedded-resource").asBoolean(false);
    s.intOrString = node.path("x-kubernetes-int-or-string").asBoolean(false);
    s.listType = node.path("x-kubernetes-list-type").asText("");
    s.listMapKeys = Json.strings(node.get("x-kubernetes-list-map-keys"));
    s.mapType = node.path("x-kubernetes-map-type").asText("");
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      CelRules.Rule r = cel.compile(rule);
      if (r != null) {
        s.rules.add(r);
      }
    }
    node.path("allOf").forEach(n -> s.allOf.add(parse(n, cel)));
    node.path("anyOf").forEach(n -> s.anyOf.add(parse(n, cel)));
    node.path("oneOf").forEach(n -> s.oneOf.add(parse(n, cel)));
    if (node.has("not")) {
      s.not = parse(node.get("not"), cel);
    }
    return s;
  }

  private static Double number(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  private static Long integer(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n != null && n.isNumber() ? n.asLong() : null;
  }

  /** The schema of an object's field, or null when the field is unknown (or anything goes). */
  StructuralSchema field(String name) {
    StructuralSchema p = properties.get(name);
    if (p != null) {
      return p;
    }
    return additionalProperties;
  }

  boolean isMap() {
    return properties.isEmpty() && additionalProperties != null;
  }

  boolean isAtomicObject() {
    return "atomic".equals(mapType);
  }

  /** The CEL/printing name of a JSON value's type, as the API server reports it in messages. */
  static String typeName(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    return v.isBoolean() ? "boolean" : "unknown";
  }
}

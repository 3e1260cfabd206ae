package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.sandbox.apiserver.ApiException.Cause;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Structural pruning, defaulting and validation of an object against its CRD schema, as the API server does them. */
final class SchemaOps {
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
  private static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "labels", "annotations",
      "ownerReferences", "finalizers", "uid", "resourceVersion", "creationTimestamp", "generation",
      "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");

  private SchemaOps() {
  }

  /** Removes fields the schema does not know; records their paths in {@code pruned}. */
  static void prune(JsonNode root, StructuralSchema s, List<String> pruned) {
    prune(root, s, "", true, pruned);
  }

  private static void prune(JsonNode v, StructuralSchema s, String path, boolean resource, List<String> pruned) {
    if (s == null || v == null) {
      return;
    }
    if (v instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        String childPath = s.isMap() ? path + "[" + k + "]" : join(path, k);
        if (resource && ROOT_FIELDS.contains(k)) {
          if (k.equals("metadata") && !path.isEmpty() && e.getValue() instanceof ObjectNode meta) {
            meta.fieldNames().forEachRemaining(f -> {
              if (!OBJECT_META.contains(f)) {
                pruned.add(childPath + "." + f);
              }
            });
            meta.retain(OBJECT_META);
          }
          continue;
        }
        StructuralSchema cs = s.properties.get(k);
        if (cs == null) {
          cs = s.additionalProperties;
        }
        if (cs == null) {
          if (!s.preserveUnknown && !s.additionalPropertiesAllowed) {
            pruned.add(childPath);
            it.remove();
          }
          continue;
        }
        prune(e.getValue(), cs, childPath, cs.embedded, pruned);
      }
    } else if (v instanceof ArrayNode a && s.items != null) {
      for (int i = 0; i < a.size(); i++) {
        prune(a.get(i), s.items, path + "[" + i + "]", s.items.embedded, pruned);
      }
    }
  }

  /** Applies {@code default}s and drops nulls of non-nullable fields, recursively. */
  static void applyDefaults(JsonNode v, StructuralSchema s) {
    if (s == null || v == null) {
      return;
    }
    if (v instanceof ObjectNode o) {
      if (s.additionalProperties != null) {
        o.fields().forEachRemaining(e -> {
          if (!s.properties.containsKey(e.getKey())) {
            applyDefaults(e.getValue(), s.additionalProperties);
          }
        });
      }
      for (Map.Entry<String, StructuralSchema> p : s.properties.entrySet()) {
        StructuralSchema ps = p.getValue();
        JsonNode c = o.get(p.getKey());
        if (c != null && c.isNull() && !ps.nullable) {
          o.remove(p.getKey());
          c = null;
        }
        if (c == null && ps.defaultValue != null) {
          o.set(p.getKey(), ps.defaultValue.deepCopy());
          c = o.get(p.getKey());
        }
        if (c != null) {
          applyDefaults(c, ps);
        }
      }
    } else if (v instanceof ArrayNode a && s.items != null) {
      a.forEach(item -> applyDefaults(item, s.items));
    }
  }

  /** Validates the object (and its transition rules against {@code old}, null on create). */
  static List<Cause> validate(JsonNode root, JsonNode old, StructuralSchema s) {
    List<Cause> errors = new ArrayList<>();
    validate(root, old, s, "", true, errors);
    return errors;
  }

  private static void validate(JsonNode v, JsonNode old, StructuralSchema s, String path, boolean resource,
      List<Cause> errs) {
    if (s == null || v == null) {
      return;
    }
    if (v.isNull()) {
      if (!s.nullable && !s.type.isEmpty()) {
        errs.add(typeInvalid(path, v, s.type));
      }
      return;
    }
    if (!typeOk(v, s)) {
      errs.add(typeInvalid(path, v, s.intOrString ? "integer-or-string" : s.type));
      return;
    }
    if (s.enumValues != null && s.enumValues.stream().noneMatch(e -> Json.same(e, v))) {
      List<String> supported = new ArrayList<>();
      s.enumValues.forEach(e -> supported.add(e.toString()));
      errs.add(new Cause("FieldValueNotSupported",
          "Unsupported value: " + show(v) + ": supported values: " + String.join(", ", supported), path));
    }
    if (v.isTextual()) {
      validateString(v, s, path, errs);
    } else if (v.isNumber()) {
      validateNumber(v, s, path, errs);
    } else if (v instanceof ArrayNode a) {
      validateArray(a, old, s, path, errs);
    } else if (v instanceof ObjectNode o) {
      validateObject(o, old, s, path, resource, errs);
    }
    validateCombinators(v, s, path, errs);
    for (CelRules.Rule rule : s.rules) {
      String message = CelRules.evaluate(rule, v, old);
      if (message != null) {
        String field = path;
        if (!rule.fieldPath().isEmpty()) {
          field = path + (rule.fieldPath().startsWith(".") ? rule.fieldPath() : "." + rule.fieldPath());
        }
        String reason = rule.reason().isEmpty() ? "FieldValueInvalid" : rule.reason();
        errs.add(new Cause(reason, "Invalid value: \"" + StructuralSchema.typeName(v) + "\": " + message, field));
      }
    }
  }

  private static void validateString(JsonNode v, StructuralSchema s, String path, List<Cause> errs) {
    String text = v.asText();
    int length = text.codePointCount(0, text.length());
    if (s.maxLength != null && length > s.maxLength) {
      errs.add(new Cause("FieldValueTooLong", "Too long: may not be more than " + s.maxLength + " bytes", path));
    }
    if (s.minLength != null && length < s.minLength) {
      errs.add(invalid(path, v, "should be at least " + s.minLength + " chars long"));
    }
    if (s.pattern != null && !s.pattern.matcher(text).find()) {
      errs.add(invalid(path, v, "should match '" + s.patternText + "'"));
    }
    if (!formatOk(s.format, text)) {
      errs.add(invalid(path, v, "must be of type " + s.format + ": " + show(v)));
    }
  }

  private static boolean formatOk(String format, String text) {
    try {
      switch (format) {
        case "date-time" -> OffsetDateTime.parse(text);
        case "byte" -> Base64.getDecoder().decode(text);
        case "uuid" -> {
          return text.matches("(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
        }
        default -> {
          return true;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void validateNumber(JsonNode v, StructuralSchema s, String path, List<Cause> errs) {
    double d = v.asDouble();
    if (s.maximum != null && (s.exclusiveMaximum ? d >= s.maximum : d > s.maximum)) {
      errs.add(invalid(path, v, "should be less than " + (s.exclusiveMaximum ? "" : "or equal to ") + show(s.maximum)));
    }
    if (s.minimum != null && (s.exclusiveMinimum ? d <= s.minimum : d < s.minimum)) {
      errs.add(invalid(path, v,
          "should be greater than " + (s.exclusiveMinimum ? "" : "or equal to ") + show(s.minimum)));
    }
    if (s.multipleOf != null && s.multipleOf != 0 && Math.abs(d / s.multipleOf - Math.rint(d / s.multipleOf)) > 1e-9) {
      errs.add(invalid(path, v, "should be a multiple of " + show(s.multipleOf)));
    }
  }

  private static void validateArray(ArrayNode a, JsonNode old, StructuralSchema s, String path, List<Cause> errs) {
    if (s.maxItems != null && a.size() > s.maxItems) {
      errs.add(new Cause("FieldValueTooMany", "Too many: " + a.size() + ": must have at most " + s.maxItems + " items",
          path));
    }
    if (s.minItems != null && a.size() < s.minItems) {
      errs.add(invalid(path, a.size() + "", "should have at least " + s.minItems + " items"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < a.size(); i++) {
      JsonNode item = a.get(i);
      String itemPath = path + "[" + i + "]";
      if (s.listType.equals("set") && !seen.add(item.toString())) {
        errs.add(new Cause("FieldValueDuplicate", "Duplicate value: " + show(item), itemPath));
      } else if (s.listType.equals("map") && item.isObject()) {
        String key = ListKeys.keyJson(item, s.listMapKeys);
        if (!seen.add(key)) {
          errs.add(new Cause("FieldValueDuplicate", "Duplicate value: " + key, itemPath));
        }
      }
      JsonNode oldItem = s.listType.equals("map") ? ListKeys.findByKeys(old, item, s.listMapKeys) : null;
      validate(item, oldItem, s.items, itemPath, s.items != null && s.items.embedded, errs);
    }
  }

  private static void validateObject(ObjectNode o, JsonNode old, StructuralSchema s, String path, boolean resource,
      List<Cause> errs) {
    for (String r : s.required) {
      if (!o.has(r) && !(resource && ROOT_FIELDS.contains(r))) {
        errs.add(new Cause("FieldValueRequired", "Required value", join(path, r)));
      }
    }
    if (s.maxProperties != null && o.size() > s.maxProperties) {
      errs.add(new Cause("FieldValueTooMany", "Too many: " + o.size() + ": must have at most " + s.maxProperties
          + " items", path));
    }
    if (s.minProperties != null && o.size() < s.minProperties) {
      errs.add(invalid(path, o.size() + "", "should have at least " + s.minProperties + " properties"));
    }
    o.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (resource && ROOT_FIELDS.contains(k)) {
        return;
      }
      StructuralSchema cs = s.properties.get(k);
      String childPath = join(path, k);
      if (cs == null && s.additionalProperties != null) {
        cs = s.additionalProperties;
        childPath = path + "[" + k + "]";
      }
      JsonNode oldChild = old != null && old.isObject() ? old.get(k) : null;
      validate(e.getValue(), oldChild, cs, childPath, cs != null && cs.embedded, errs);
    });
  }

  private static void validateCombinators(JsonNode v, StructuralSchema s, String path, List<Cause> errs) {
    for (StructuralSchema sub : s.allOf) {
      validateValueOnly(v, sub, path, errs);
    }
    if (!s.anyOf.isEmpty() && s.anyOf.stream().noneMatch(sub -> passes(v, sub, path))) {
      errs.add(invalid(path, v, "must validate at least one schema (anyOf)"));
    }
    if (!s.oneOf.isEmpty() && s.oneOf.stream().filter(sub -> passes(v, sub, path)).count() != 1) {
      errs.add(invalid(path, v, "must validate one and only one schema (oneOf)"));
    }
    if (s.not != null && passes(v, s.not, path)) {
      errs.add(invalid(path, v, "must not validate the schema (not)"));
    }
  }

  private static boolean passes(JsonNode v, StructuralSchema sub, String path) {
    List<Cause> e = new ArrayList<>();
    validateValueOnly(v, sub, path, e);
    return e.isEmpty();
  }

  private static void validateValueOnly(JsonNode v, StructuralSchema sub, String path, List<Cause> errs) {
    validate(v, null, sub, path, false, errs);
  }

  private static boolean typeOk(JsonNode v, StructuralSchema s) {
    if (s.intOrString) {
      return v.isTextual() || isInteger(v);
    }
    return switch (s.type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> isInteger(v);
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  private static boolean isInteger(JsonNode v) {
    return v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
  }

  private static Cause typeInvalid(String path, JsonNode v, String type) {
    String actual = StructuralSchema.typeName(v);
    return new Cause("FieldValueTypeInvalid", "Invalid value: \"" + actual + "\": " + display(path)
        + " in body must be of type " + type + ": \"" + actual + "\"", path);
  }

  private static Cause invalid(String path, JsonNode v, String detail) {
    return invalid(path, show(v), detail);
  }

  private static Cause invalid(String path, String shownValue, String detail) {
    return new Cause("FieldValueInvalid", "Invalid value: " + shownValue + ": " + display(path) + " in body "
        + detail, path);
  }

  private static String display(String path) {
    return path.isEmpty() ? "body" : path;
  }

  private static String show(JsonNode v) {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.toString();
    }
    return "\"" + StructuralSchema.typeName(v) + "\"";
  }

  private static String show(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}

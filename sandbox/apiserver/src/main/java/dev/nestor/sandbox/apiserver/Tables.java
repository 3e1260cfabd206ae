package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** {@code meta.k8s.io/v1 Table} answers: a Name column plus the kind's printer columns, as kubectl prints them. */
final class Tables {
  private Tables() {
  }

  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  static ObjectNode table(ResourceType type, List<ObjectNode> items, JsonNode listMetadata, String includeObject,
      boolean headers) {
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    t.set("metadata", listMetadata == null ? Json.object() : listMetadata.deepCopy());
    if (headers) {
      ArrayNode cols = t.putArray("columnDefinitions");
      ObjectNode name = cols.addObject();
      name.put("name", "Name");
      name.put("type", "string");
      name.put("format", "name");
      name.put("description", "Name must be unique within a namespace.");
      name.put("priority", 0);
      for (ResourceType.PrinterColumn c : type.printerColumns()) {
        ObjectNode col = cols.addObject();
        col.put("name", c.name());
        col.put("type", c.type());
        col.put("format", c.format() == null ? "" : c.format());
        col.put("description", c.description() == null ? "" : c.description());
        col.put("priority", c.priority());
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode item : items) {
      rows.add(row(type, item, includeObject));
    }
    return t;
  }

  private static ObjectNode row(ResourceType type, ObjectNode item, String includeObject) {
    ObjectNode row = Json.object();
    ArrayNode cells = row.putArray("cells");
    cells.add(Json.name(item));
    for (ResourceType.PrinterColumn c : type.printerColumns()) {
      cells.add(cell(item, c));
    }
    if ("Object".equals(includeObject)) {
      row.set("object", item);
    } else if (!"None".equals(includeObject)) {
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.get("metadata"));
    }
    return row;
  }

  private static JsonNode cell(JsonNode item, ResourceType.PrinterColumn c) {
    List<JsonNode> values;
    try {
      values = JsonPathLite.evaluate(item, c.jsonPath());
    } catch (IllegalArgumentException e) {
      return Json.NODES.nullNode();
    }
    if (values.isEmpty()) {
      return Json.NODES.nullNode();
    }
    JsonNode first = values.get(0);
    switch (c.type()) {
      case "date":
        return Json.NODES.textNode(humanAge(first.asText()));
      case "integer", "number", "boolean":
        if (values.size() == 1 && (first.isNumber() || first.isBoolean())) {
          return first;
        }
        break;
      default:
        break;
    }
    List<String> texts = new ArrayList<>();
    values.forEach(v -> texts.add(v.isTextual() ? v.asText() : v.toString()));
    return Json.NODES.textNode(String.join(",", texts));
  }

  static String humanAge(String timestamp) {
    try {
      return humanDuration(Duration.between(OffsetDateTime.parse(timestamp).toInstant(), Instant.now()));
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }

  /** k8s.io/apimachinery duration.HumanDuration, so ages read as kubectl prints them. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }
}

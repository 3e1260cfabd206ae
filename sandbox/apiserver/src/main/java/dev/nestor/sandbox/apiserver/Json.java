package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** JSON/YAML helpers over Jackson trees, the in-memory representation of every stored object. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Parses JSON, or YAML when the body is not JSON (kubectl sends apply patches as YAML). */
  static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException json) {
      try {
        return YAML.readTree(body);
      } catch (IOException yaml) {
        throw ApiException.badRequest("unable to decode request body: " + json.getMessage());
      }
    }
  }

  static List<JsonNode> parseYamlDocuments(String text) {
    try (var parser = YAML.getFactory().createParser(text)) {
      List<JsonNode> docs = new ArrayList<>();
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    return write(node).getBytes(StandardCharsets.UTF_8);
  }

  static JsonNode valueOf(Object value) {
    return MAPPER.valueToTree(value);
  }

  static ObjectNode metadata(JsonNode obj) {
    JsonNode m = obj.get("metadata");
    return m instanceof ObjectNode o ? o : null;
  }

  static ObjectNode ensureMetadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }

  static String text(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(p);
    }
    return n;
  }

  static String name(JsonNode obj) {
    return text(obj, "metadata", "name");
  }

  static String namespace(JsonNode obj) {
    return text(obj, "metadata", "namespace");
  }

  static String uid(JsonNode obj) {
    return text(obj, "metadata", "uid");
  }

  static String resourceVersion(JsonNode obj) {
    return text(obj, "metadata", "resourceVersion");
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** Numeric-aware equality: 1 and 1.0 are equal, as they are once stored in etcd as JSON. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || a.isMissingNode()) {
      return b == null || b.isMissingNode();
    }
    if (b == null || b.isMissingNode()) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      var it = a.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (!same(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}

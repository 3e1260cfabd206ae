package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.sandbox.apiserver.ResourceType.PrinterColumn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns CRD objects into served {@link ResourceType}s, and the minimal upstream kinds table into CRD objects. */
final class CrdTypes {
  private static final String UPSTREAM_TABLE = "upstream-kinds.yaml";

  private CrdTypes() {
  }

  /**
   * The served versions of a CRD.
   *
   * @param schemas upstream schemas by {@code group/version/Kind}; they replace a CRD's own schema when present
   */
  static List<ResourceType> fromCrd(JsonNode crd, Map<String, StructuralSchema> schemas) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    JsonNode names = spec.path("names");
    String kind = names.path("kind").asText();
    String plural = names.path("plural").asText();
    String singular = names.path("singular").asText(kind.toLowerCase());
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    List<String> shortNames = Json.strings(names.get("shortNames"));
    List<String> categories = Json.strings(names.get("categories"));
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      String version = v.path("name").asText();
      JsonNode sub = v.path("subresources");
      ResourceType.Scale scale = null;
      if (sub.has("scale")) {
        JsonNode sc = sub.get("scale");
        scale = new ResourceType.Scale(sc.path("specReplicasPath").asText(), sc.path("statusReplicasPath").asText(),
            sc.path("labelSelectorPath").asText(""));
      }
      StructuralSchema schema = schemas.get(group + "/" + version + "/" + kind);
      if (schema == null) {
        SchemaCache.Parsed parsed = SchemaCache.parse(Json.at(v, "schema", "openAPIV3Schema"));
        schema = parsed == null || isPlaceholder(parsed.schema()) ? null : parsed.schema();
      }
      out.add(new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories,
          sub.has("status"), scale, columns(v.get("additionalPrinterColumns")), schema, true, true));
    }
    return out;
  }

  private static boolean isPlaceholder(StructuralSchema s) {
    return s.preserveUnknown && s.properties.isEmpty() && s.rules.isEmpty();
  }

  private static List<PrinterColumn> columns(JsonNode cols) {
    List<PrinterColumn> out = new ArrayList<>();
    if (cols == null || !cols.isArray() || cols.isEmpty()) {
      out.add(new PrinterColumn("Age", "date", "", ".metadata.creationTimestamp", 0, "Time since creation"));
      return out;
    }
    for (JsonNode c : cols) {
      out.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"), c.path("format").asText(""),
          c.path("jsonPath").asText(), c.path("priority").asInt(0), c.path("description").asText("")));
    }
    return out;
  }

  /** CRD objects for the minimal upstream kinds (schema left open; upstream schemas are attached when loaded). */
  static List<ObjectNode> upstreamCrds() {
    List<ObjectNode> out = new ArrayList<>();
    try (InputStream in = CrdTypes.class.getResourceAsStream(UPSTREAM_TABLE)) {
      if (in == null) {
        throw new IllegalStateException(UPSTREAM_TABLE + " missing from the classpath");
      }
      JsonNode table = Json.YAML.readTree(in);
      for (JsonNode k : table) {
        out.add(crdOf(k));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static ObjectNode crdOf(JsonNode k) {
    ObjectNode crd = Json.object();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.putObject("metadata").put("name", k.path("plural").asText() + "." + k.path("group").asText());
    ObjectNode spec = crd.putObject("spec");
    spec.put("group", k.path("group").asText());
    spec.put("scope", k.path("scope").asText("Namespaced"));
    ObjectNode names = spec.putObject("names");
    names.put("kind", k.path("kind").asText());
    names.put("listKind", k.path("kind").asText() + "List");
    names.put("plural", k.path("plural").asText());
    names.put("singular", k.path("singular").asText());
    if (k.path("shortNames").size() > 0) {
      names.set("shortNames", k.get("shortNames"));
    }
    if (k.path("categories").size() > 0) {
      names.set("categories", k.get("categories"));
    }
    ArrayNode versions = spec.putArray("versions");
    boolean first = true;
    for (JsonNode v : k.path("versions")) {
      ObjectNode ver = versions.addObject();
      ver.put("name", v.asText());
      ver.put("served", true);
      ver.put("storage", first);
      first = false;
      ObjectNode schema = ver.putObject("schema").putObject("openAPIV3Schema");
      schema.put("type", "object");
      schema.put("x-kubernetes-preserve-unknown-fields", true);
      ObjectNode sub = ver.putObject("subresources");
      if (k.path("status").asBoolean(false)) {
        sub.putObject("status");
      }
      if (k.hasNonNull("scale")) {
        sub.set("scale", k.get("scale"));
      }
      if (k.path("printerColumns").size() > 0) {
        ver.set("additionalPrinterColumns", k.get("printerColumns"));
      }
    }
    return crd;
  }
}

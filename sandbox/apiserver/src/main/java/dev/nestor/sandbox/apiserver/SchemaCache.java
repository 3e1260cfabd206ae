package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Parsed CRD version schemas (with their compiled CEL rules), shared by every server in the JVM. */
final class SchemaCache {
  /** A parsed schema and what happened to its CEL rules. */
  record Parsed(StructuralSchema schema, int celFound, int celCompiled, List<String> celFailures) {
  }

  private static final Map<String, Parsed> CACHE = new ConcurrentHashMap<>();

  private SchemaCache() {
  }

  /** The parsed {@code openAPIV3Schema}; null when the version has none. */
  static Parsed parse(JsonNode openApiV3Schema) {
    if (openApiV3Schema == null || !openApiV3Schema.isObject()) {
      return null;
    }
    return CACHE.computeIfAbsent(Json.write(openApiV3Schema), k -> {
      CelRules cel = new CelRules();
      StructuralSchema s = StructuralSchema.parse(openApiV3Schema, cel);
      return new Parsed(s, cel.found(), cel.compiled(), cel.failures());
    });
  }
}

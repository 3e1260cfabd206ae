package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Schemas of the upstream CRDs in a folder, by {@code group/version/Kind} (every version, served or not). */
final class UpstreamSchemas {
  private UpstreamSchemas() {
  }

  static Map<String, StructuralSchema> load(Path dir) {
    Map<String, StructuralSchema> out = new HashMap<>();
    for (JsonNode crd : CrdFiles.load(dir)) {
      String group = Json.text(crd, "spec", "group");
      String kind = Json.text(crd, "spec", "names", "kind");
      for (JsonNode v : crd.path("spec").path("versions")) {
        SchemaCache.Parsed parsed = SchemaCache.parse(Json.at(v, "schema", "openAPIV3Schema"));
        if (parsed != null) {
          out.put(group + "/" + v.path("name").asText() + "/" + kind, parsed.schema());
        }
      }
    }
    return out;
  }
}

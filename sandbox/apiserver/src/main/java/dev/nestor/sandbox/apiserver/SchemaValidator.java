package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates objects against CRD schemas the way the API server does on write: unknown fields are pruned, defaults
 * applied, then the structural schema and {@code x-kubernetes-validations} (CEL) rules are checked. Renderer tests use
 * it to prove rendered objects would be accepted, and with no field silently dropped.
 */
public final class SchemaValidator {
  private final Map<String, StructuralSchema> schemas = new HashMap<>();
  private int celRulesFound;
  private int celRulesCompiled;
  private final List<String> celFailures = new ArrayList<>();

  private SchemaValidator() {
  }

  /** Loads every CRD YAML in the given files or folders (parsed once per JVM). */
  public static SchemaValidator load(Path... filesOrDirs) {
    SchemaValidator v = new SchemaValidator();
    for (Path p : filesOrDirs) {
      for (JsonNode crd : CrdFiles.load(p)) {
        String group = Json.text(crd, "spec", "group");
        String kind = Json.text(crd, "spec", "names", "kind");
        for (JsonNode version : crd.path("spec").path("versions")) {
          SchemaCache.Parsed parsed = SchemaCache.parse(Json.at(version, "schema", "openAPIV3Schema"));
          if (parsed == null) {
            continue;
          }
          v.schemas.put(group + "/" + version.path("name").asText() + "/" + kind, parsed.schema());
          v.celRulesFound += parsed.celFound();
          v.celRulesCompiled += parsed.celCompiled();
          v.celFailures.addAll(parsed.celFailures());
        }
      }
    }
    return v;
  }

  /** Whether a schema is known for this apiVersion and kind. */
  public boolean knows(String apiVersion, String kind) {
    return schemas.containsKey(apiVersion + "/" + kind);
  }

  /**
   * The errors a real API server would report for this object on create, as {@code field: message} lines; empty
   * when it is valid. An unknown apiVersion/kind is itself an error.
   */
  public List<String> validate(String apiVersion, String kind, Map<String, ?> object) {
    return validate(apiVersion, kind, Json.valueOf(object));
  }

  /** As {@link #validate(String, String, Map)}, for a Jackson tree. */
  public List<String> validate(String apiVersion, String kind, JsonNode object) {
    return validate(apiVersion, kind, object, null);
  }

  /** Validation of an update: transition rules ({@code oldSelf}) are checked against {@code old}. */
  public List<String> validate(String apiVersion, String kind, JsonNode object, JsonNode old) {
    StructuralSchema s = schemas.get(apiVersion + "/" + kind);
    if (s == null) {
      return List.of("no schema known for " + apiVersion + ", Kind=" + kind);
    }
    ObjectNode copy = object.deepCopy();
    SchemaOps.prune(copy, s, new ArrayList<>());
    SchemaOps.applyDefaults(copy, s);
    JsonNode oldCopy = null;
    if (old != null) {
      ObjectNode o = old.deepCopy();
      SchemaOps.prune(o, s, new ArrayList<>());
      SchemaOps.applyDefaults(o, s);
      oldCopy = o;
    }
    List<String> out = new ArrayList<>();
    for (ApiException.Cause c : SchemaOps.validate(copy, oldCopy, s)) {
      out.add(c.field() == null || c.field().isEmpty() ? c.message() : c.field() + ": " + c.message());
    }
    return out;
  }

  /** The fields the API server would silently drop (structural pruning), as paths like {@code spec.foo}. */
  public List<String> prunedFields(String apiVersion, String kind, Map<String, ?> object) {
    return prunedFields(apiVersion, kind, Json.valueOf(object));
  }

  /** As {@link #prunedFields(String, String, Map)}, for a Jackson tree. */
  public List<String> prunedFields(String apiVersion, String kind, JsonNode object) {
    StructuralSchema s = schemas.get(apiVersion + "/" + kind);
    if (s == null) {
      return List.of();
    }
    List<String> pruned = new ArrayList<>();
    SchemaOps.prune(object.deepCopy(), s, pruned);
    return pruned;
  }

  /** The object as the server would store it: pruned and defaulted (validation not included). */
  public JsonNode normalize(String apiVersion, String kind, JsonNode object) {
    StructuralSchema s = schemas.get(apiVersion + "/" + kind);
    ObjectNode copy = object.deepCopy();
    if (s != null) {
      SchemaOps.prune(copy, s, new ArrayList<>());
      SchemaOps.applyDefaults(copy, s);
    }
    return copy;
  }

  /** How many {@code x-kubernetes-validations} rules the loaded CRDs contain (counting every version). */
  public int celRulesFound() {
    return celRulesFound;
  }

  /** How many of them compiled and are enforced. */
  public int celRulesCompiled() {
    return celRulesCompiled;
  }

  /** The rules that did not compile, with the compiler's message. */
  public List<String> celCompileFailures() {
    return List.copyOf(celFailures);
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kinds this server serves: built-in ones plus every registered CRD version. */
final class Registry {
  private final Map<String, ResourceType> byGvr = new ConcurrentHashMap<>();
  private final Map<String, StructuralSchema> upstreamSchemas;

  Registry(Map<String, StructuralSchema> upstreamSchemas) {
    this.upstreamSchemas = upstreamSchemas;
    BuiltinKinds.all().forEach(this::register);
  }

  private void register(ResourceType t) {
    byGvr.put(t.group() + "/" + t.version() + "/" + t.plural(), t);
  }

  ResourceType find(String group, String version, String plural) {
    return byGvr.get(group + "/" + version + "/" + plural);
  }

  List<ResourceType> all() {
    return new ArrayList<>(byGvr.values());
  }

  /** Every served version of one resource. */
  List<ResourceType> versionsOf(String group, String plural) {
    return byGvr.values().stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).toList();
  }

  /** (Re)registers the served versions of a CRD, as a real server does once the CRD is established. */
  void applyCrd(JsonNode crd) {
    List<ResourceType> types = CrdTypes.fromCrd(crd, upstreamSchemas);
    if (types.isEmpty()) {
      return;
    }
    removeCrd(crd);
    types.forEach(this::register);
  }

  void removeCrd(JsonNode crd) {
    String group = Json.text(crd, "spec", "group");
    String plural = Json.text(crd, "spec", "names", "plural");
    byGvr.values().removeIf(t -> t.custom() && t.group().equals(group) && t.plural().equals(plural));
  }
}

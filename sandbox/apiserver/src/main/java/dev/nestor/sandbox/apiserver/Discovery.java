package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Discovery documents ({@code /version}, {@code /api}, {@code /apis}, ...) built from the registry. */
final class Discovery {
  private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
      "update", "watch");
  private static final List<String> SUB_VERBS = List.of("get", "patch", "update");

  private final Registry registry;
  private final String gitVersion;

  Discovery(Registry registry, String gitVersion) {
    this.registry = registry;
    this.gitVersion = gitVersion;
  }

  ObjectNode version() {
    ObjectNode v = Json.object();
    String[] parts = gitVersion.replaceFirst("^v", "").split("\\.");
    v.put("major", parts[0]);
    v.put("minor", parts.length > 1 ? parts[1] : "0");
    v.put("gitVersion", gitVersion);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-01-01T00:00:00Z");
    v.put("goVersion", "go1.24.0");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  ObjectNode coreVersions(String serverAddress) {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode addr = v.putArray("serverAddressByClientCIDRs").addObject();
    addr.put("clientCIDR", "0.0.0.0/0");
    addr.put("serverAddress", serverAddress);
    return v;
  }

  ObjectNode groups() {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    groupVersions().forEach((g, versions) -> groups.add(group(g, versions)));
    return list;
  }

  /** The APIGroup document, or null when the group is not served. */
  ObjectNode group(String name) {
    List<String> versions = groupVersions().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode g = group(name, versions);
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return g;
  }

  private ObjectNode group(String name, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = g.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return g;
  }

  private Map<String, List<String>> groupVersions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<ResourceType> types = new ArrayList<>(registry.all());
    types.sort(Comparator.comparing(ResourceType::group));
    for (ResourceType t : types) {
      if (t.group().isEmpty()) {
        continue;
      }
      List<String> versions = out.computeIfAbsent(t.group(), k -> new ArrayList<>());
      if (!versions.contains(t.version())) {
        versions.add(t.version());
      }
    }
    out.values().forEach(v -> v.sort(Discovery::compareVersions));
    return out;
  }

  /** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
  static int compareVersions(String a, String b) {
    return Integer.compare(rank(b), rank(a));
  }

  private static int rank(String v) {
    var m = java.util.regex.Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$").matcher(v);
    if (!m.matches()) {
      return 0;
    }
    int major = Integer.parseInt(m.group(1));
    int stability = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
    int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return stability * 1_000_000 + major * 1000 + minor;
  }

  /** The APIResourceList of a group version, or null when it is not served. */
  ObjectNode resources(String group, String version) {
    List<ResourceType> types = registry.all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .sorted(Comparator.comparing(ResourceType::plural)).toList();
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      VERBS.forEach(r.putArray("verbs")::add);
      if (!t.shortNames().isEmpty()) {
        t.shortNames().forEach(r.putArray("shortNames")::add);
      }
      if (!t.categories().isEmpty()) {
        t.categories().forEach(r.putArray("categories")::add);
      }
      if (t.hasStatus()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/status");
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        s.put("kind", t.kind());
        SUB_VERBS.forEach(s.putArray("verbs")::add);
      }
      if (t.scale() != null) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/scale");
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        s.put("group", "autoscaling");
        s.put("version", "v1");
        s.put("kind", "Scale");
        SUB_VERBS.forEach(s.putArray("verbs")::add);
      }
    }
    return list;
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code metadata.managedFields}: who owns which field, kept per manager, operation and subresource. */
final class ManagedFields {
  private static final Set<String> SERVER_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
      "selfLink", "generateName");

  /** One managedFields entry. */
  static final class Entry {
    final String manager;
    final String operation;
    String apiVersion;
    String time;
    final String subresource;
    FieldSet set;

    Entry(String manager, String operation, String apiVersion, String time, String subresource, FieldSet set) {
      this.manager = manager;
      this.operation = operation;
      this.apiVersion = apiVersion;
      this.time = time;
      this.subresource = subresource == null ? "" : subresource;
      this.set = set;
    }

    boolean is(String manager, String operation, String subresource) {
      return this.manager.equals(manager) && this.operation.equals(operation)
          && this.subresource.equals(subresource == null ? "" : subresource);
    }
  }

  private ManagedFields() {
  }

  static List<Entry> parse(JsonNode obj) {
    List<Entry> out = new ArrayList<>();
    JsonNode arr = Json.at(obj, "metadata", "managedFields");
    if (arr != null && arr.isArray()) {
      for (JsonNode e : arr) {
        if (!e.has("manager") && !e.has("fieldsV1")) {
          continue;
        }
        out.add(new Entry(e.path("manager").asText(""), e.path("operation").asText("Update"),
            e.path("apiVersion").asText(""), e.path("time").asText(null), e.path("subresource").asText(""),
            FieldSet.fromFieldsV1(e.get("fieldsV1"))));
      }
    }
    return out;
  }

  static void write(ObjectNode obj, List<Entry> entries) {
    ObjectNode meta = Json.ensureMetadata(obj);
    entries.removeIf(e -> e.set.isEmpty());
    if (entries.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    ArrayNode arr = meta.putArray("managedFields");
    for (Entry e : entries) {
      ObjectNode o = arr.addObject();
      o.put("manager", e.manager);
      o.put("operation", e.operation);
      o.put("apiVersion", e.apiVersion);
      if (e.time != null) {
        o.put("time", e.time);
      }
      o.put("fieldsType", "FieldsV1");
      o.set("fieldsV1", e.set.toFieldsV1());
      if (!e.subresource.isEmpty()) {
        o.put("subresource", e.subresource);
      }
    }
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * The part of an object whose fields are tracked for a write to {@code subresource}: without apiVersion, kind and
   * server-set metadata; without status on the main resource of a kind with a status subresource; only status on
   * {@code /status}.
   */
  static ObjectNode scope(JsonNode obj, ResourceType type, String subresource) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("apiVersion");
    copy.remove("kind");
    if ("status".equals(subresource)) {
      copy.retain("status");
      return copy;
    }
    if (type.hasStatus()) {
      copy.remove("status");
    }
    if (copy.get("metadata") instanceof ObjectNode meta) {
      meta.remove(SERVER_METADATA);
      if (meta.isEmpty()) {
        copy.remove("metadata");
      }
    }
    return copy;
  }

  /** Records a non-apply write (create, update, patch): the manager takes the fields it changed. */
  static void recordUpdate(JsonNode oldObj, ObjectNode newObj, ResourceType type, String subresource, String manager) {
    String scopeSub = "scale".equals(subresource) ? null : subresource;
    List<Entry> entries = parse(oldObj);
    JsonNode supplied = Json.at(newObj, "metadata", "managedFields");
    if (supplied != null && supplied.isArray() && oldObj != null
        && !Json.same(supplied, Json.at(oldObj, "metadata", "managedFields"))) {
      entries = parse(newObj);
    }
    FieldSet changed = FieldPaths.changed(oldObj == null ? null : scope(oldObj, type, scopeSub),
        scope(newObj, type, scopeSub), type.schema());
    List<List<String>> changedPaths = changed.paths();
    for (Entry e : entries) {
      FieldSet before = e.set.copy();
      changedPaths.forEach(e.set::remove);
      dropMissing(e, newObj);
      if (!before.sameAs(e.set)) {
        e.time = now();
      }
    }
    Entry mine = entries.stream().filter(e -> e.is(manager, "Update", subresource)).findFirst().orElse(null);
    if (mine == null && !changed.isEmpty()) {
      mine = new Entry(manager, "Update", type.apiVersion(), now(), subresource, new FieldSet());
      entries.add(mine);
    }
    if (mine != null && !changed.isEmpty()) {
      mine.set.addAll(changed);
      mine.time = now();
      mine.apiVersion = type.apiVersion();
    }
    write(newObj, entries);
  }

  /** Removes from an entry the paths that no longer exist in the object. */
  static void dropMissing(Entry e, JsonNode obj) {
    for (List<String> p : e.set.paths()) {
      if (FieldPaths.get(obj, p) == null) {
        e.set.remove(p);
      }
    }
  }

}

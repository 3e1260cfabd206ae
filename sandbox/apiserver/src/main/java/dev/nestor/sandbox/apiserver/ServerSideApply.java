package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.sandbox.apiserver.ApiException.Cause;
import dev.nestor.sandbox.apiserver.ManagedFields.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply: merges a manager's applied configuration into the live object, detects conflicts with other
 * managers, prunes the fields the manager stopped applying (when nobody else owns them) and records ownership.
 */
final class ServerSideApply {
  private ServerSideApply() {
  }

  /**
   * Computes the object after an apply.
   *
   * @param live the current object, or null when the apply creates it
   * @param applied the applied configuration (already checked for name and kind)
   * @return the merged object, with {@code metadata.managedFields} updated
   */
  static ObjectNode apply(ObjectNode live, ObjectNode applied, ResourceType type, String subresource, String manager,
      boolean force) {
    StructuralSchema schema = type.schema();
    boolean schemaless = schema == null;
    ObjectNode scoped = ManagedFields.scope(applied, type, subresource);
    FieldSet appliedSet = FieldPaths.fromObject(scoped, schema);
    List<Entry> entries = live == null ? new ArrayList<>() : ManagedFields.parse(live);
    ObjectNode base = live == null ? Json.object() : live;

    Map<String, List<List<String>>> conflicts = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (e.manager.equals(manager)) {
        continue;
      }
      for (List<String> p : appliedSet.paths()) {
        if (!e.set.contains(p) || isItem(p)) {
          continue;
        }
        if (!Json.same(FieldPaths.get(base, p), FieldPaths.get(scoped, p))) {
          conflicts.computeIfAbsent(e.manager, k -> new ArrayList<>()).add(p);
          if (force) {
            e.set.remove(p);
          }
        }
      }
    }
    if (!conflicts.isEmpty() && !force) {
      throw conflict(conflicts, entries);
    }

    ObjectNode merged;
    if (live == null) {
      merged = applied.deepCopy();
      removeNulls(merged);
    } else {
      merged = (ObjectNode) FieldPaths.merge(live, scoped, schema, null, schemaless);
    }

    Entry mine = entries.stream().filter(e -> e.is(manager, "Apply", subresource)).findFirst().orElse(null);
    if (mine != null) {
      List<List<String>> stale = new ArrayList<>(mine.set.paths());
      stale.removeIf(appliedSet::contains);
      stale.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
      for (List<String> p : stale) {
        if (isItemKey(p)) {
          // A key field names its list-map item: it goes with the item (pruned below as a whole when nobody else
          // owns part of it) and stays while the item stays. Removed on its own, it would leave a keyless item that
          // the item's k:{...} path no longer finds.
          continue;
        }
        boolean ownedElsewhere = entries.stream().anyMatch(e -> e != mine && e.set.containsOrBelow(p));
        if (!ownedElsewhere && !appliedSet.containsOrBelow(p)) {
          FieldPaths.remove(merged, p);
          removeEmptyParents(merged, p, entries, appliedSet);
        }
      }
      if (!mine.set.sameAs(appliedSet)) {
        mine.time = ManagedFields.now();
      }
      mine.set = appliedSet;
      mine.apiVersion = type.apiVersion();
    } else {
      entries.add(new Entry(manager, "Apply", type.apiVersion(), ManagedFields.now(), subresource, appliedSet));
    }
    for (Entry e : entries) {
      ManagedFields.dropMissing(e, merged);
    }
    ManagedFields.write(merged, entries);
    return merged;
  }

  private static boolean isItem(List<String> p) {
    String last = p.get(p.size() - 1);
    return last.startsWith("k:") || last.startsWith("v:");
  }

  /** True for a key field of a list-map item ({@code ...k:{"version":"v1"}, f:version}). */
  private static boolean isItemKey(List<String> p) {
    int n = p.size();
    if (n < 2 || !p.get(n - 2).startsWith("k:") || !p.get(n - 1).startsWith("f:")) {
      return false;
    }
    JsonNode key = Json.parse(p.get(n - 2).substring(2).getBytes(StandardCharsets.UTF_8));
    return key.has(p.get(n - 1).substring(2));
  }

  /** A map emptied by pruning goes too, unless someone owns it. */
  private static void removeEmptyParents(ObjectNode obj, List<String> path, List<Entry> entries, FieldSet applied) {
    for (int n = path.size() - 1; n > 0; n--) {
      List<String> parent = path.subList(0, n);
      JsonNode v = FieldPaths.get(obj, parent);
      boolean owned = applied.contains(parent) || entries.stream().anyMatch(e -> e.set.contains(parent));
      if (v != null && v.isObject() && v.isEmpty() && !owned && parent.get(n - 1).startsWith("f:")) {
        FieldPaths.remove(obj, parent);
      } else {
        return;
      }
    }
  }

  private static void removeNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.properties().removeIf(e -> e.getValue().isNull());
      o.forEach(ServerSideApply::removeNulls);
    } else if (n != null && n.isArray()) {
      n.forEach(ServerSideApply::removeNulls);
    }
  }

  private static ApiException conflict(Map<String, List<List<String>>> conflicts, List<Entry> entries) {
    List<Cause> causes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    conflicts.forEach((manager, paths) -> {
      String apiVersion = entries.stream().filter(e -> e.manager.equals(manager)).map(e -> e.apiVersion).findFirst()
          .orElse("");
      String who = "conflict with \"" + manager + "\"" + (apiVersion.isEmpty() ? "" : " using " + apiVersion);
      for (List<String> p : paths) {
        String field = FieldPaths.display(p);
        causes.add(new Cause("FieldManagerConflict", who, field));
        lines.add(who + ": " + field);
      }
    });
    String message = causes.size() == 1 ? "Apply failed with 1 conflict: " + lines.get(0)
        : "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    return new ApiException(409, "Conflict", message, causes);
  }
}

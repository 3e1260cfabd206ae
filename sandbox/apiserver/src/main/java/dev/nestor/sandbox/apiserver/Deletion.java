package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletion with finalizers and {@code deletionTimestamp}, namespace termination, and the garbage collector:
 * background deletion of dependents whose owners are all gone, orphaning, and foreground deletion. The collector runs
 * shortly after the write that made garbage, like kube-controller-manager's, not inside the request.
 */
final class Deletion implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deletion.class);
  private static final String FOREGROUND = "foregroundDeletion";
  private static final String ORPHAN = "orphan";
  private static final Operations.Options GC = new Operations.Options("kube-controller-manager", false, false);

  private final Operations ops;
  private final Store store;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "apiserver-garbage-collector");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();

  Deletion(Operations ops) {
    this.ops = ops;
    this.store = ops.store();
    ops.onGarbage(this::trigger);
  }

  void trigger() {
    if (scheduled.compareAndSet(false, true) && !executor.isShutdown()) {
      executor.schedule(() -> {
        scheduled.set(false);
        try {
          collect();
        } catch (RuntimeException e) {
          LOG.warn("garbage collection pass failed", e);
        }
      }, 10, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  ObjectNode delete(ResourceType t, String ns, String name, JsonNode options, String propagation, boolean dryRun) {
    synchronized (store) {
      ObjectNode old = ops.require(t, ns, name);
      JsonNode pre = options == null ? null : options.get("preconditions");
      if (pre != null) {
        String uid = pre.path("uid").asText("");
        String rv = pre.path("resourceVersion").asText("");
        if (!uid.isEmpty() && !uid.equals(Json.uid(old))) {
          throw new ApiException(409, "Conflict", "Precondition failed: UID in precondition: " + uid
              + ", UID in object meta: " + Json.uid(old), null).details(name, t.group(), t.plural());
        }
        if (!rv.isEmpty() && !rv.equals(Json.resourceVersion(old))) {
          throw new ApiException(409, "Conflict", "Precondition failed: ResourceVersion in precondition: " + rv
              + ", ResourceVersion in object meta: " + Json.resourceVersion(old), null)
              .details(name, t.group(), t.plural());
        }
      }
      String policy = propagation;
      if (policy == null && options != null && options.hasNonNull("propagationPolicy")) {
        policy = options.get("propagationPolicy").asText();
      }
      if (policy == null && options != null && options.has("orphanDependents")) {
        policy = options.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
      }
      if (dryRun) {
        return Operations.view(t, old);
      }
      return deleteNow(t, old, policy == null ? "Background" : policy);
    }
  }

  private ObjectNode deleteNow(ResourceType t, ObjectNode old, String policy) {
    ObjectNode c = old.deepCopy();
    ObjectNode meta = Json.ensureMetadata(c);
    boolean deleting = meta.has("deletionTimestamp");
    List<String> fins = new ArrayList<>(Json.strings(meta.get("finalizers")));
    if (!deleting && "Foreground".equals(policy) && !fins.contains(FOREGROUND)) {
      fins.add(FOREGROUND);
    }
    if (!deleting && "Orphan".equals(policy) && !fins.contains(ORPHAN)) {
      fins.add(ORPHAN);
    }
    boolean namespace = t.group().isEmpty() && t.plural().equals("namespaces");
    if (fins.isEmpty() && !namespace) {
      ObjectNode last = store.remove(t, c);
      ops.afterDelete(t, last);
      return Operations.view(t, last);
    }
    if (deleting && fins.equals(Json.strings(meta.get("finalizers")))) {
      return Operations.view(t, old);
    }
    if (!fins.isEmpty()) {
      ArrayNode arr = meta.putArray("finalizers");
      fins.forEach(arr::add);
    }
    if (!deleting) {
      meta.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      meta.put("deletionGracePeriodSeconds", 0);
      if (t.tracksGeneration()) {
        meta.put("generation", meta.path("generation").asLong(1) + 1);
      }
      if (namespace) {
        c.withObjectProperty("status").put("phase", "Terminating");
      }
    }
    store.put(t, c, old);
    ops.afterWrite(t, c);
    return Operations.view(t, c);
  }

  ObjectNode deleteCollection(ResourceType t, String ns, java.util.function.Predicate<JsonNode> filter,
      String propagation, boolean dryRun) {
    synchronized (store) {
      ObjectNode list = ops.list(t, ns, filter, 0, null, null, null);
      for (JsonNode item : list.get("items")) {
        if (!dryRun) {
          ObjectNode current = store.get(t, Json.namespace(item), Json.name(item));
          if (current != null) {
            deleteNow(t, current, propagation == null ? "Background" : propagation);
          }
        }
      }
      return list;
    }
  }

  /** One garbage-collection pass, repeated until nothing changes. */
  void collect() {
    synchronized (store) {
      for (int round = 0; round < 100 && collectOnce(); round++) {
        LOG.debug("garbage collection round {} changed objects", round);
      }
    }
  }

  private boolean collectOnce() {
    boolean changed = false;
    Map<String, List<Object[]>> dependents = new HashMap<>();
    List<Object[]> all = new ArrayList<>();
    for (String key : store.storageKeys()) {
      ResourceType t = typeOf(key);
      if (t == null) {
        continue;
      }
      for (ObjectNode o : store.listStorage(key)) {
        all.add(new Object[] {t, o});
        for (JsonNode ref : Json.at(o, "metadata").path("ownerReferences")) {
          dependents.computeIfAbsent(ref.path("uid").asText(), k -> new ArrayList<>()).add(new Object[] {t, o});
        }
      }
    }
    for (Object[] entry : all) {
      ResourceType t = (ResourceType) entry[0];
      ObjectNode o = store.get(t, Json.namespace((ObjectNode) entry[1]), Json.name((ObjectNode) entry[1]));
      if (o == null || !Json.uid(o).equals(Json.uid((ObjectNode) entry[1]))) {
        continue;
      }
      try {
        changed |= collect(t, o, dependents.getOrDefault(Json.uid(o), List.of()), all);
      } catch (ApiException e) {
        LOG.debug("garbage collector could not process {} {}: {}", t.kind(), Json.name(o), e.getMessage());
      }
    }
    return changed;
  }

  private boolean collect(ResourceType t, ObjectNode o, List<Object[]> deps, List<Object[]> all) {
    boolean deleting = Json.at(o, "metadata", "deletionTimestamp") != null;
    if (deleting && t.group().isEmpty() && t.plural().equals("namespaces")) {
      return terminateNamespace(t, o, all);
    }
    List<String> fins = Json.strings(Json.at(o, "metadata", "finalizers"));
    if (deleting && fins.contains(ORPHAN)) {
      for (Object[] d : deps) {
        ObjectNode dep = (ObjectNode) d[1];
        ObjectNode c = dep.deepCopy();
        ((ArrayNode) c.get("metadata").get("ownerReferences")).removeIf(r -> r.path("uid").asText().equals(Json.uid(o)));
        ops.commit((ResourceType) d[0], dep, c, null, GC, false);
      }
      return removeFinalizer(t, o, ORPHAN);
    }
    if (deleting && fins.contains(FOREGROUND)) {
      boolean live = false;
      for (Object[] d : deps) {
        ObjectNode dep = store.get((ResourceType) d[0], Json.namespace((ObjectNode) d[1]), Json.name((ObjectNode) d[1]));
        if (dep != null) {
          live = true;
          if (Json.at(dep, "metadata", "deletionTimestamp") == null) {
            deleteNow((ResourceType) d[0], dep, "Foreground");
          }
        }
      }
      return !live && removeFinalizer(t, o, FOREGROUND);
    }
    JsonNode refs = Json.at(o, "metadata", "ownerReferences");
    if (deleting || refs == null || refs.isEmpty()) {
      return false;
    }
    List<JsonNode> dangling = new ArrayList<>();
    refs.forEach(r -> {
      if (store.byUid(r.path("uid").asText()) == null) {
        dangling.add(r);
      }
    });
    if (dangling.isEmpty()) {
      return false;
    }
    if (dangling.size() == refs.size()) {
      deleteNow(t, o, "Background");
    } else {
      ObjectNode c = o.deepCopy();
      ((ArrayNode) c.get("metadata").get("ownerReferences")).removeIf(dangling::contains);
      ops.commit(t, o, c, null, GC, false);
    }
    return true;
  }

  private boolean terminateNamespace(ResourceType t, ObjectNode ns, List<Object[]> all) {
    String name = Json.name(ns);
    boolean remaining = false;
    for (Object[] entry : all) {
      ResourceType et = (ResourceType) entry[0];
      ObjectNode o = (ObjectNode) entry[1];
      if (!et.namespaced() || !name.equals(Json.namespace(o))) {
        continue;
      }
      ObjectNode current = store.get(et, name, Json.name(o));
      if (current == null) {
        continue;
      }
      remaining = true;
      if (Json.at(current, "metadata", "deletionTimestamp") == null) {
        deleteNow(et, current, "Background");
      }
    }
    if (remaining) {
      return true;
    }
    ObjectNode c = ns.deepCopy();
    JsonNode specFins = Json.at(c, "spec", "finalizers");
    if (specFins instanceof ArrayNode a) {
      a.removeAll();
    }
    if (Json.strings(Json.at(c, "metadata", "finalizers")).isEmpty()) {
      ObjectNode last = store.remove(t, c);
      ops.afterDelete(t, last);
      return true;
    }
    return false;
  }

  private boolean removeFinalizer(ResourceType t, ObjectNode o, String finalizer) {
    ObjectNode c = o.deepCopy();
    JsonNode fins = Json.at(c, "metadata", "finalizers");
    if (fins instanceof ArrayNode a) {
      a.removeIf(f -> f.asText().equals(finalizer));
    }
    ops.commit(t, o, c, null, GC, false);
    return true;
  }

  private ResourceType typeOf(String storageKey) {
    int slash = storageKey.indexOf('/');
    List<ResourceType> versions = ops.registry().versionsOf(storageKey.substring(0, slash),
        storageKey.substring(slash + 1));
    return versions.isEmpty() ? null : versions.get(0);
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory object storage with one global resourceVersion counter and, per resource, a bounded window of past
 * events for watches. Callers hold the store's monitor for multi-step operations; stored nodes are never mutated.
 */
final class Store {
  /** One change, as watches deliver it. */
  record Event(long revision, String type, ObjectNode object, ObjectNode previous) {
  }

  /** Past events of one resource; a watch from before {@code compacted} gets 410 Gone. */
  private static final class EventLog {
    final ArrayDeque<Event> events = new ArrayDeque<>();
    long compacted;
  }

  private final int window;
  private long revision = 1;
  private final Map<String, TreeMap<String, ObjectNode>> data = new HashMap<>();
  private final Map<String, String[]> uidIndex = new HashMap<>();
  private final Map<String, EventLog> logs = new HashMap<>();
  private final Map<String, List<WatchSession>> watchers = new HashMap<>();
  private long watchesStarted;
  private long watchesGone;

  Store(int window) {
    this.window = window;
  }

  static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  synchronized long revision() {
    return revision;
  }

  synchronized ObjectNode get(ResourceType t, String namespace, String name) {
    TreeMap<String, ObjectNode> m = data.get(t.storageKey());
    return m == null ? null : m.get(key(t.namespaced() ? namespace : null, name));
  }

  /** Objects of a resource in key order, optionally in one namespace, starting after {@code afterKey}. */
  synchronized List<ObjectNode> list(ResourceType t, String namespace, String afterKey) {
    TreeMap<String, ObjectNode> m = data.get(t.storageKey());
    if (m == null) {
      return List.of();
    }
    NavigableMap<String, ObjectNode> view = afterKey == null ? m : m.tailMap(afterKey, false);
    String prefix = namespace != null && t.namespaced() ? namespace + "/" : null;
    List<ObjectNode> out = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : view.entrySet()) {
      if (prefix == null || e.getKey().startsWith(prefix)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  synchronized Collection<String> storageKeys() {
    return new ArrayList<>(data.keySet());
  }

  synchronized List<ObjectNode> listStorage(String storageKey) {
    TreeMap<String, ObjectNode> m = data.get(storageKey);
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  synchronized ObjectNode byUid(String uid) {
    String[] where = uid == null ? null : uidIndex.get(uid);
    if (where == null) {
      return null;
    }
    TreeMap<String, ObjectNode> m = data.get(where[0]);
    return m == null ? null : m.get(where[1]);
  }

  /** Stores a new or changed object with the next resourceVersion and emits ADDED or MODIFIED. */
  synchronized ObjectNode put(ResourceType t, ObjectNode obj, ObjectNode previous) {
    revision++;
    Json.ensureMetadata(obj).put("resourceVersion", Long.toString(revision));
    String k = key(t.namespaced() ? Json.namespace(obj) : null, Json.name(obj));
    data.computeIfAbsent(t.storageKey(), x -> new TreeMap<>()).put(k, obj);
    uidIndex.put(Json.uid(obj), new String[] {t.storageKey(), k});
    emit(t.storageKey(), new Event(revision, previous == null ? "ADDED" : "MODIFIED", obj, previous));
    return obj;
  }

  /** Removes an object for good and emits DELETED carrying its final state. */
  synchronized ObjectNode remove(ResourceType t, ObjectNode finalState) {
    revision++;
    ObjectNode last = finalState.deepCopy();
    Json.ensureMetadata(last).put("resourceVersion", Long.toString(revision));
    String k = key(t.namespaced() ? Json.namespace(last) : null, Json.name(last));
    TreeMap<String, ObjectNode> m = data.get(t.storageKey());
    if (m != null) {
      m.remove(k);
    }
    uidIndex.remove(Json.uid(last));
    emit(t.storageKey(), new Event(revision, "DELETED", last, null));
    return last;
  }

  private void emit(String storageKey, Event e) {
    EventLog log = logs.computeIfAbsent(storageKey, k -> new EventLog());
    log.events.addLast(e);
    while (log.events.size() > window) {
      log.compacted = log.events.removeFirst().revision();
    }
    for (WatchSession w : watchers.getOrDefault(storageKey, List.of())) {
      w.deliver(e);
    }
  }

  /** The oldest resourceVersion a watch of this resource can still start from. */
  synchronized long compacted(String storageKey) {
    EventLog log = logs.get(storageKey);
    return log == null ? 0 : log.compacted;
  }

  synchronized List<Event> eventsAfter(String storageKey, long rv) {
    EventLog log = logs.get(storageKey);
    List<Event> out = new ArrayList<>();
    if (log != null) {
      for (Event e : log.events) {
        if (e.revision() > rv) {
          out.add(e);
        }
      }
    }
    return out;
  }

  synchronized void addWatcher(String storageKey, WatchSession w) {
    watchesStarted++;
    watchers.computeIfAbsent(storageKey, k -> new CopyOnWriteArrayList<>()).add(w);
  }

  synchronized void removeWatcher(String storageKey, WatchSession w) {
    List<WatchSession> l = watchers.get(storageKey);
    if (l != null) {
      l.remove(w);
    }
  }

  synchronized void countGone() {
    watchesGone++;
  }

  synchronized long watchesGone() {
    return watchesGone;
  }

  synchronized long watchesStarted() {
    return watchesStarted;
  }

  synchronized List<WatchSession> allWatchers() {
    List<WatchSession> out = new ArrayList<>();
    watchers.values().forEach(out::addAll);
    return out;
  }

  synchronized void dropStorage(String storageKey) {
    TreeMap<String, ObjectNode> m = data.remove(storageKey);
    if (m != null) {
      m.values().forEach(o -> uidIndex.remove(Json.uid(o)));
    }
  }
}

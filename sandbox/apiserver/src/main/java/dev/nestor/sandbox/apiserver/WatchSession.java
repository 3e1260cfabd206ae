package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;

/** One open watch: filters store events and writes them to its transport (WebSocket or chunked HTTP). */
final class WatchSession {
  /** Where events go. */
  interface Sink {
    void send(String line);

    void end();
  }

  private final ResourceType type;
  private final String namespace;
  private final Predicate<JsonNode> filter;
  private final Sink sink;
  private final boolean table;
  private final Runnable onClose;
  private boolean headersSent;
  private volatile boolean closed;

  WatchSession(ResourceType type, String namespace, Predicate<JsonNode> filter, Sink sink, boolean table,
      Runnable onClose) {
    this.type = type;
    this.namespace = namespace;
    this.filter = filter;
    this.sink = sink;
    this.table = table;
    this.onClose = onClose;
  }

  private boolean matches(JsonNode obj) {
    if (obj == null) {
      return false;
    }
    if (namespace != null && type.namespaced() && !namespace.equals(Json.namespace(obj))) {
      return false;
    }
    return filter.test(obj);
  }

  /** Delivers a store event, turning MODIFIED into ADDED/DELETED when the object enters or leaves the selection. */
  synchronized void deliver(Store.Event e) {
    if (closed) {
      return;
    }
    boolean now = matches(e.object());
    switch (e.type()) {
      case "MODIFIED" -> {
        boolean before = matches(e.previous());
        if (now && before) {
          send("MODIFIED", e.object());
        } else if (now) {
          send("ADDED", e.object());
        } else if (before) {
          send("DELETED", e.object());
        }
      }
      default -> {
        if (now) {
          send(e.type(), e.object());
        }
      }
    }
  }

  synchronized void sendAll(List<ObjectNode> objects, String eventType) {
    objects.stream().filter(this::matches).forEach(o -> send(eventType, o));
  }

  synchronized void send(String eventType, ObjectNode obj) {
    if (closed) {
      return;
    }
    ObjectNode out = obj;
    if (!type.apiVersion().equals(Json.text(obj, "apiVersion"))) {
      out = obj.deepCopy();
      out.put("apiVersion", type.apiVersion());
    }
    if (table && !"BOOKMARK".equals(eventType) && !"ERROR".equals(eventType)) {
      out = Tables.table(type, List.of(out), null, "Metadata", !headersSent);
      headersSent = true;
    }
    ObjectNode event = Json.object();
    event.put("type", eventType);
    event.set("object", out);
    sink.send(Json.write(event));
  }

  /** Sends a BOOKMARK at the given resourceVersion (optionally marking the end of initial events). */
  synchronized void bookmark(long revision, boolean initialEventsEnd) {
    ObjectNode o = Json.object();
    o.put("kind", type.kind());
    o.put("apiVersion", type.apiVersion());
    ObjectNode meta = o.putObject("metadata");
    meta.put("resourceVersion", Long.toString(revision));
    if (initialEventsEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    send("BOOKMARK", o);
  }

  synchronized void error(ApiException e) {
    send("ERROR", e.toStatus());
  }

  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    onClose.run();
    sink.end();
  }

  boolean isClosed() {
    return closed;
  }
}

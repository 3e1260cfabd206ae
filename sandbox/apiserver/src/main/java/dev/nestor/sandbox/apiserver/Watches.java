package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Starts watches over WebSocket (fabric8) or chunked HTTP (kubectl): replays events after the requested
 * resourceVersion (or sends the current state), answers a version older than the retained window with a 410
 * {@code Expired} ERROR event, and closes every watch after a random time in the configured window.
 */
final class Watches {
  private final Vertx vertx;
  private final Store store;
  private final Duration minExpiry;
  private final Duration maxExpiry;

  Watches(Vertx vertx, Store store, Duration minExpiry, Duration maxExpiry) {
    this.vertx = vertx;
    this.store = store;
    this.minExpiry = minExpiry;
    this.maxExpiry = maxExpiry;
  }

  void websocket(ServerWebSocket ws, Router.Target target, MultiMap params, boolean table) {
    WatchSession.Sink sink = new WatchSession.Sink() {
      @Override
      public void send(String line) {
        if (!ws.isClosed()) {
          ws.writeTextMessage(line);
        }
      }

      @Override
      public void end() {
        if (!ws.isClosed()) {
          ws.close((short) 1000);
        }
      }
    };
    WatchSession session = start(target, params, Router.filter(target, params), table, sink);
    ws.closeHandler(v -> session.close());
    ws.exceptionHandler(e -> session.close());
  }

  void http(HttpServerRequest req, Router.Target target, MultiMap params, boolean table) {
    Predicate<JsonNode> filter = Router.filter(target, params);
    HttpServerResponse resp = req.response();
    resp.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    WatchSession.Sink sink = new WatchSession.Sink() {
      @Override
      public void send(String line) {
        if (!resp.ended() && !resp.closed()) {
          resp.write(line + "\n");
        }
      }

      @Override
      public void end() {
        if (!resp.ended() && !resp.closed()) {
          resp.end();
        }
      }
    };
    resp.writeHead();
    WatchSession session = start(target, params, filter, table, sink);
    resp.closeHandler(v -> session.close());
  }

  private WatchSession start(Router.Target target, MultiMap params, Predicate<JsonNode> filter, boolean table,
      WatchSession.Sink sink) {
    ResourceType t = target.type();
    String key = t.storageKey();
    boolean bookmarks = "true".equals(params.get("allowWatchBookmarks"));
    boolean initialEvents = "true".equals(params.get("sendInitialEvents"));
    String rv = params.get("resourceVersion");
    WatchSession[] holder = new WatchSession[1];
    WatchSession session = new WatchSession(t, target.namespace(), filter, sink, table,
        () -> store.removeWatcher(key, holder[0]));
    holder[0] = session;
    synchronized (store) {
      if (rv != null && !rv.isEmpty() && !rv.equals("0") && !initialEvents) {
        long from = Operations.parseRv(rv);
        long compacted = store.compacted(key);
        if (from < compacted) {
          store.countGone();
          session.error(ApiException.gone("too old resource version: " + from + " (" + (compacted + 1) + ")"));
          vertx.runOnContext(v -> session.close());
          return session;
        }
        store.eventsAfter(key, from).forEach(session::deliver);
      } else {
        session.sendAll(store.list(t, target.namespace(), null), "ADDED");
        if (initialEvents && bookmarks) {
          session.bookmark(store.revision(), true);
        }
      }
      store.addWatcher(key, session);
    }
    long expiry = expiryMillis();
    String timeout = params.get("timeoutSeconds");
    if (timeout != null && !timeout.isEmpty()) {
      expiry = Math.min(expiry, Math.max(1, Long.parseLong(timeout)) * 1000);
    }
    vertx.setTimer(expiry, id -> {
      if (bookmarks) {
        session.bookmark(store.revision(), false);
      }
      session.close();
    });
    return session;
  }

  private long expiryMillis() {
    long min = minExpiry.toMillis();
    long max = Math.max(min, maxExpiry.toMillis());
    return min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }
}

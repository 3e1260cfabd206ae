package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Kubernetes REST paths and verbs onto discovery, the operations and watches. */
final class Router {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** A parsed resource path. */
  record Target(ResourceType type, String namespace, String name, String subresource, boolean legacyWatch) {
  }

  private final Operations ops;
  private final Deletion deletion;
  private final Discovery discovery;
  private final Watches watches;
  private final java.util.function.Supplier<String> serverAddress;
  private final KubevirtSubresources hotplug;

  Router(Operations ops, Deletion deletion, Discovery discovery, Watches watches,
      java.util.function.Supplier<String> serverAddress) {
    this.ops = ops;
    this.deletion = deletion;
    this.discovery = discovery;
    this.watches = watches;
    this.serverAddress = serverAddress;
    this.hotplug = new KubevirtSubresources(ops);
  }

  void handle(HttpServerRequest req, Buffer body) {
    try {
      dispatch(req, body == null ? new byte[0] : body.getBytes());
    } catch (ApiException e) {
      respond(req, e.code, e.toStatus());
    } catch (RuntimeException e) {
      LOG.warn("request {} {} failed", req.method(), req.uri(), e);
      respond(req, 500, new ApiException(500, "InternalError", "Internal error occurred: " + e, null).toStatus());
    }
  }

  void handleWebSocket(ServerWebSocket ws) {
    try {
      Target target = target(ws.path());
      MultiMap params = queryParams(ws.query());
      if (target == null || target.name() != null && !target.legacyWatch()) {
        ws.reject(404);
        return;
      }
      watches.websocket(ws, target, params, Tables.wanted(ws.headers().get("Accept")));
    } catch (ApiException e) {
      ws.reject(e.code);
    }
  }

  private static MultiMap queryParams(String query) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    if (query == null) {
      return m;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.add(decode(k), decode(v));
    }
    return m;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private void dispatch(HttpServerRequest req, byte[] body) {
    String path = req.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<String> seg = segments(path);
    if (req.method() == HttpMethod.GET) {
      ObjectNode doc = discoveryDocument(path, seg);
      if (doc != null) {
        respond(req, 200, doc);
        return;
      }
    }
    if (path.startsWith("/openapi") || path.equals("/swagger.json")) {
      throw ApiException.notFoundPath();
    }
    if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
      req.response().putHeader("Content-Type", "text/plain").end("ok");
      return;
    }
    if (req.method() == HttpMethod.POST && path.startsWith("/apis/authorization.k8s.io/v1/")) {
      respond(req, 201, Authorization.review(path, body));
      return;
    }
    if (KubevirtSubresources.handles(path)) {
      hotplug.handle(req.method().name(), path, body);
      respond(req, 202, Json.object());
      return;
    }
    Target t = target(path);
    if (t == null) {
      throw ApiException.notFoundPath();
    }
    String contentType = req.getHeader("Content-Type");
    if (contentType != null && contentType.contains("protobuf")) {
      throw ApiException.unsupportedMediaType(contentType);
    }
    MultiMap q = req.params();
    Operations.Options options = new Operations.Options(manager(req, q), "All".equals(q.get("dryRun")),
        "true".equals(q.get("force")));
    ResourceType type = t.type();
    String accept = req.getHeader("Accept");
    boolean watch = t.legacyWatch() || "true".equals(q.get("watch")) || "1".equals(q.get("watch"));
    HttpMethod m = req.method();
    if (m == HttpMethod.GET && (t.name() == null || t.legacyWatch())) {
      if (watch) {
        watches.http(req, t, q, Tables.wanted(accept));
        return;
      }
      Predicate<JsonNode> filter = filter(t, q);
      ObjectNode list = ops.list(type, t.namespace(), filter, intParam(q, "limit"), q.get("continue"),
          q.get("resourceVersion"), q.get("resourceVersionMatch"));
      if (Tables.wanted(accept)) {
        List<ObjectNode> items = new ArrayList<>();
        list.get("items").forEach(i -> items.add((ObjectNode) i));
        respond(req, 200, Tables.table(type, items, list.get("metadata"), q.get("includeObject"), true));
      } else {
        respond(req, 200, list);
      }
      return;
    }
    if (t.name() == null) {
      if (m == HttpMethod.POST) {
        respond(req, 201, ops.create(type, t.namespace(), Json.parse(body), options));
      } else if (m == HttpMethod.DELETE) {
        respond(req, 200, deletion.deleteCollection(type, t.namespace(), filter(t, q), q.get("propagationPolicy"),
            options.dryRun()));
      } else {
        throw ApiException.methodNotAllowed();
      }
      return;
    }
    String sub = t.subresource();
    boolean scale = "scale".equals(sub);
    if (m == HttpMethod.GET) {
      ObjectNode obj = scale ? ops.getScale(type, t.namespace(), t.name()) : ops.get(type, t.namespace(), t.name());
      if (Tables.wanted(accept) && !scale) {
        respond(req, 200, Tables.table(type, List.of(obj), null, q.get("includeObject"), true));
      } else {
        respond(req, 200, obj);
      }
    } else if (m == HttpMethod.PUT) {
      JsonNode parsed = Json.parse(body);
      respond(req, 200, scale ? ops.updateScale(type, t.namespace(), t.name(), parsed, options)
          : ops.update(type, t.namespace(), t.name(), sub, parsed, options));
    } else if (m == HttpMethod.PATCH) {
      boolean existed = ops.store().get(type, t.namespace(), t.name()) != null;
      ObjectNode result = ops.patch(type, t.namespace(), t.name(), sub, contentType, body, options);
      respond(req, existed ? 200 : 201, scale ? Operations.scaleOf(type, result) : result);
    } else if (m == HttpMethod.DELETE && sub == null) {
      JsonNode opts = body.length == 0 ? null : Json.parse(body);
      boolean dryRun = options.dryRun() || (opts != null && opts.path("dryRun").toString().contains("All"));
      respond(req, 200, deletion.delete(type, t.namespace(), t.name(), opts, q.get("propagationPolicy"), dryRun));
    } else {
      throw ApiException.methodNotAllowed();
    }
  }

  private static String manager(HttpServerRequest req, MultiMap q) {
    String m = q.get("fieldManager");
    if (m != null && !m.isEmpty()) {
      return m;
    }
    if (req.method() == HttpMethod.PATCH && String.valueOf(req.getHeader("Content-Type")).startsWith(
        "application/apply-patch")) {
      return null;
    }
    String ua = req.getHeader("User-Agent");
    if (ua == null || ua.isEmpty()) {
      return "unknown";
    }
    String prefix = ua.split("/", 2)[0];
    return prefix.length() > 128 ? prefix.substring(0, 128) : prefix;
  }

  static Predicate<JsonNode> filter(Target t, MultiMap q) {
    Predicate<JsonNode> f = Selectors.labels(q.get("labelSelector")).and(Selectors.fields(q.get("fieldSelector"),
        t.type()));
    if (t.name() != null) {
      String name = t.name();
      f = f.and(o -> name.equals(Json.name(o)));
    }
    return f;
  }

  private static int intParam(MultiMap q, String name) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid " + name + ": " + v);
    }
  }

  private ObjectNode discoveryDocument(String path, List<String> seg) {
    if (path.equals("/version")) {
      return discovery.version();
    }
    if (path.equals("/api")) {
      return discovery.coreVersions(serverAddress.get());
    }
    if (path.equals("/apis")) {
      return discovery.groups();
    }
    if (seg.size() == 2 && seg.get(0).equals("api")) {
      return require(discovery.resources("", seg.get(1)));
    }
    if (seg.size() == 2 && seg.get(0).equals("apis")) {
      return require(discovery.group(seg.get(1)));
    }
    if (seg.size() == 3 && seg.get(0).equals("apis")) {
      return require(discovery.resources(seg.get(1), seg.get(2)));
    }
    return null;
  }

  private static ObjectNode require(ObjectNode doc) {
    if (doc == null) {
      throw ApiException.notFoundPath();
    }
    return doc;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>(Arrays.asList(path.split("/")));
    out.removeIf(String::isEmpty);
    return out;
  }

  /** Parses {@code /api/v1/...} and {@code /apis/g/v/...} resource paths; null when not a resource path. */
  Target target(String path) {
    List<String> seg = segments(path);
    String group;
    String version;
    List<String> rest;
    if (seg.size() >= 3 && seg.get(0).equals("api")) {
      group = "";
      version = seg.get(1);
      rest = seg.subList(2, seg.size());
    } else if (seg.size() >= 4 && seg.get(0).equals("apis")) {
      group = seg.get(1);
      version = seg.get(2);
      rest = seg.subList(3, seg.size());
    } else {
      return null;
    }
    boolean legacyWatch = false;
    if (!rest.isEmpty() && rest.get(0).equals("watch")) {
      legacyWatch = true;
      rest = rest.subList(1, rest.size());
    }
    String ns = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      ResourceType candidate = ops.registry().find(group, version, rest.get(2));
      if (candidate != null && candidate.namespaced()) {
        ns = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
    }
    if (rest.isEmpty() || rest.size() > 3) {
      throw ApiException.notFoundPath();
    }
    ResourceType type = ops.registry().find(group, version, rest.get(0));
    if (type == null) {
      throw ApiException.notFoundPath();
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String sub = rest.size() > 2 ? rest.get(2) : null;
    if (!type.namespaced() && ns != null) {
      throw ApiException.notFoundPath();
    }
    if (type.namespaced() && ns == null && name != null) {
      throw ApiException.notFoundPath();
    }
    if (sub != null && !(sub.equals("status") && type.hasStatus()) && !(sub.equals("scale") && type.scale() != null)) {
      throw ApiException.notFoundPath();
    }
    return new Target(type, ns, name, sub, legacyWatch);
  }

  static void respond(HttpServerRequest req, int code, JsonNode body) {
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    req.response().setStatusCode(code).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache, private").end(Buffer.buffer(Json.bytes(body)));
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Create, read, update, patch and server-side apply, with the real API server's write semantics. */
final class Operations {
  /** Per-request write options. */
  record Options(String manager, boolean dryRun, boolean force) {
  }

  private static final Set<String> IMMUTABLE_META = Set.of("uid", "creationTimestamp", "deletionTimestamp",
      "deletionGracePeriodSeconds", "generation", "name", "namespace");
  private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final Store store;
  private final Registry registry;
  private final SecureRandom random = new SecureRandom();
  private Runnable gcTrigger = () -> { };

  Operations(Store store, Registry registry) {
    this.store = store;
    this.registry = registry;
  }

  void onGarbage(Runnable trigger) {
    this.gcTrigger = trigger;
  }

  Store store() {
    return store;
  }

  Registry registry() {
    return registry;
  }

  static ObjectNode view(ResourceType t, ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.put("apiVersion", t.apiVersion());
    copy.put("kind", t.kind());
    return copy;
  }

  ObjectNode require(ResourceType t, String ns, String name) {
    ObjectNode o = store.get(t, ns, name);
    if (o == null) {
      throw ApiException.notFound(t, name);
    }
    return o;
  }

  ObjectNode get(ResourceType t, String ns, String name) {
    synchronized (store) {
      return view(t, require(t, ns, name));
    }
  }

  // ---------------------------------------------------------------------------------------------------- create

  ObjectNode create(ResourceType t, String ns, JsonNode body, Options o) {
    return create(t, ns, body, o, false);
  }

  private ObjectNode create(ResourceType t, String ns, JsonNode body, Options o, boolean managedSet) {
    synchronized (store) {
      ObjectNode obj = requireObject(body).deepCopy();
      checkKind(t, obj);
      ObjectNode meta = Json.ensureMetadata(obj);
      String namespace = namespaceOf(t, ns, meta);
      if (Json.name(obj) == null && meta.hasNonNull("generateName")) {
        meta.put("name", meta.get("generateName").asText() + suffix());
      }
      if (meta.hasNonNull("resourceVersion") && !meta.get("resourceVersion").asText().isEmpty()) {
        throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
      }
      meta.remove(List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
          "generation", "selfLink", "resourceVersion"));
      if (!managedSet) {
        meta.remove("managedFields");
      }
      if (t.namespaced()) {
        requireNamespace(t, namespace, Json.name(obj));
      }
      if (t.hasStatus() && !(t.group().isEmpty() && t.plural().equals("nodes"))) {
        obj.remove("status");
      }
      Admission.mutate(t, null, obj);
      Admission.validate(t, null, obj);
      if (store.get(t, namespace, Json.name(obj)) != null) {
        throw ApiException.alreadyExists(t, Json.name(obj));
      }
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      if (t.tracksGeneration()) {
        meta.put("generation", 1);
      }
      if (!managedSet) {
        ManagedFields.recordUpdate(null, obj, t, null, o.manager());
      }
      if (o.dryRun()) {
        return view(t, obj);
      }
      store.put(t, obj, null);
      afterWrite(t, obj);
      return view(t, obj);
    }
  }

  private String suffix() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      b.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
    }
    return b.toString();
  }

  private String namespaceOf(ResourceType t, String ns, ObjectNode meta) {
    if (!t.namespaced()) {
      meta.remove("namespace");
      return null;
    }
    String bodyNs = meta.hasNonNull("namespace") ? meta.get("namespace").asText() : null;
    if (ns == null) {
      if (bodyNs == null) {
        throw ApiException.badRequest("the namespace of the object must be set for a namespaced resource");
      }
      ns = bodyNs;
    } else if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the "
          + "request");
    }
    meta.put("namespace", ns);
    return ns;
  }

  private void requireNamespace(ResourceType t, String ns, String name) {
    ResourceType nsType = registry.find("", "v1", "namespaces");
    ObjectNode n = store.get(nsType, null, ns);
    if (n == null) {
      throw ApiException.notFound(nsType, ns);
    }
    if (Json.at(n, "metadata", "deletionTimestamp") != null) {
      throw new ApiException(403, "Forbidden", t.groupResource() + " \"" + name + "\" is forbidden: unable to create "
          + "new content in namespace " + ns + " because it is being terminated", null)
          .details(name, t.group(), t.plural());
    }
  }

  private static ObjectNode requireObject(JsonNode body) {
    if (!(body instanceof ObjectNode o)) {
      throw ApiException.badRequest("the request body must be a JSON or YAML object");
    }
    return o;
  }

  private static void checkKind(ResourceType t, ObjectNode obj) {
    String kind = Json.text(obj, "kind");
    String apiVersion = Json.text(obj, "apiVersion");
    if (kind != null && !kind.isEmpty() && !kind.equals(t.kind())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected "
          + "API version (" + t.apiVersion() + ") or kind " + kind + " does not match " + t.kind());
    }
    if (apiVersion != null && !apiVersion.isEmpty()) {
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      if (!group.equals(t.group())) {
        throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected "
            + "API version (" + t.apiVersion() + ")");
      }
    }
    obj.put("apiVersion", t.apiVersion());
    obj.put("kind", t.kind());
  }

  private static void checkName(ObjectNode obj, String name) {
    String bodyName = Json.name(obj);
    if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
          + name + ")");
    }
    Json.ensureMetadata(obj).put("name", name);
  }

  // ---------------------------------------------------------------------------------------------------- update

  ObjectNode update(ResourceType t, String ns, String name, String sub, JsonNode body, Options o) {
    synchronized (store) {
      ObjectNode old = require(t, ns, name);
      ObjectNode obj = requireObject(body).deepCopy();
      checkKind(t, obj);
      checkName(obj, name);
      String rv = Json.resourceVersion(obj);
      if ((rv == null || rv.isEmpty()) && t.custom()) {
        throw ApiException.invalid(t, name, List.of(new ApiException.Cause("FieldValueInvalid",
            "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")));
      }
      if (rv != null && !rv.isEmpty() && !rv.equals(Json.resourceVersion(old))) {
        throw ApiException.conflict(t, name);
      }
      return commit(t, old, prepare(t, old, obj, sub), sub, o, false);
    }
  }

  ObjectNode patch(ResourceType t, String ns, String name, String sub, String contentType, byte[] body, Options o) {
    if (contentType != null && contentType.startsWith("application/apply-patch")) {
      return apply(t, ns, name, sub, body, o);
    }
    synchronized (store) {
      ObjectNode old = require(t, ns, name);
      JsonNode patch = Json.parse(body);
      if ("scale".equals(sub)) {
        String scaleContentType = Patches.STRATEGIC.equals(contentType) ? Patches.MERGE_PATCH : contentType;
        ObjectNode scale = Patches.apply(t, scaleContentType, scaleOf(t, old), patch);
        return writeScale(t, old, scale, o);
      }
      ObjectNode patched = Patches.apply(t, contentType, view(t, old), patch);
      String rv = Json.resourceVersion(patched);
      if (rv != null && !rv.isEmpty() && !rv.equals(Json.resourceVersion(old))) {
        throw ApiException.conflict(t, name);
      }
      checkName(patched, name);
      return commit(t, old, prepare(t, old, patched, sub), sub, o, false);
    }
  }

  private ObjectNode apply(ResourceType t, String ns, String name, String sub, byte[] body, Options o) {
    if (o.manager() == null || o.manager().isEmpty()) {
      throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
          + "is required for apply patch", List.of(new ApiException.Cause("FieldValueRequired",
          "Required value: is required for apply patch", "fieldManager")));
    }
    ObjectNode applied = requireObject(Json.parse(body));
    if (Json.text(applied, "apiVersion") == null || Json.text(applied, "kind") == null) {
      throw ApiException.badRequest("apiVersion and kind must be set in an applied configuration");
    }
    if ("scale".equals(sub)) {
      throw ApiException.unsupportedMediaType("application/apply-patch+yaml on scale");
    }
    checkKind(t, applied);
    checkName(applied, name);
    JsonNode managed = Json.at(applied, "metadata", "managedFields");
    if (managed != null && !managed.isNull() && !managed.isEmpty()) {
      throw ApiException.badRequest("metadata.managedFields must be nil");
    }
    synchronized (store) {
      ObjectNode old = store.get(t, ns, name);
      if (old == null) {
        if (sub != null) {
          throw ApiException.notFound(t, name);
        }
        if (t.namespaced()) {
          namespaceOf(t, ns, Json.ensureMetadata(applied));
        }
        return create(t, ns, ServerSideApply.apply(null, applied, t, null, o.manager(), o.force()), o, true);
      }
      String rv = Json.resourceVersion(applied);
      if (rv != null && !rv.isEmpty() && !rv.equals(Json.resourceVersion(old))) {
        throw ApiException.conflict(t, name);
      }
      if (t.namespaced()) {
        namespaceOf(t, ns, Json.ensureMetadata(applied));
      }
      ObjectNode merged = ServerSideApply.apply(old, applied, t, sub, o.manager(), o.force());
      ObjectNode c = prepare(t, old, merged, sub);
      JsonNode mf = Json.at(merged, "metadata", "managedFields");
      if (mf == null) {
        Json.ensureMetadata(c).remove("managedFields");
      } else {
        Json.ensureMetadata(c).set("managedFields", mf);
      }
      return commit(t, old, c, sub, o, true);
    }
  }

  /** The candidate object of an update: immutable metadata kept; status or everything-but-status from the old one. */
  private static ObjectNode prepare(ResourceType t, ObjectNode old, ObjectNode obj, String sub) {
    if ("status".equals(sub)) {
      ObjectNode c = old.deepCopy();
      JsonNode status = obj.get("status");
      if (status == null || status.isNull()) {
        c.remove("status");
      } else {
        c.set("status", status.deepCopy());
      }
      JsonNode mf = Json.at(obj, "metadata", "managedFields");
      if (mf != null) {
        Json.ensureMetadata(c).set("managedFields", mf.deepCopy());
      }
      return c;
    }
    ObjectNode c = obj.deepCopy();
    ObjectNode meta = Json.ensureMetadata(c);
    ObjectNode oldMeta = Json.metadata(old);
    for (String f : IMMUTABLE_META) {
      JsonNode v = oldMeta.get(f);
      if (v == null) {
        meta.remove(f);
      } else {
        meta.set(f, v.deepCopy());
      }
    }
    if (!meta.has("managedFields") && oldMeta.has("managedFields")) {
      meta.set("managedFields", oldMeta.get("managedFields").deepCopy());
    }
    if (t.hasStatus()) {
      if (old.has("status")) {
        c.set("status", old.get("status").deepCopy());
      } else {
        c.remove("status");
      }
    }
    return c;
  }

  /** Admission, managed fields, generation, no-op detection and storage of an update. */
  ObjectNode commit(ResourceType t, ObjectNode old, ObjectNode c, String sub, Options o, boolean managedSet) {
    checkKind(t, c);
    Admission.mutate(t, old, c);
    Admission.validate(t, old, c);
    if (Json.at(old, "metadata", "deletionTimestamp") != null) {
      List<String> added = new java.util.ArrayList<>(Json.strings(Json.at(c, "metadata", "finalizers")));
      added.removeAll(Json.strings(Json.at(old, "metadata", "finalizers")));
      if (!added.isEmpty()) {
        throw ApiException.invalid(t, Json.name(old), List.of(new ApiException.Cause("FieldValueForbidden",
            "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers "
                + added, "metadata.finalizers")));
      }
    }
    if (!managedSet) {
      ManagedFields.recordUpdate(old, c, t, sub, o.manager());
    }
    ObjectNode meta = Json.ensureMetadata(c);
    if (t.tracksGeneration()) {
      long generation = Json.metadata(old).path("generation").asLong(1);
      if (!Json.same(specPart(t, old), specPart(t, c))) {
        generation++;
      }
      meta.put("generation", generation);
    }
    meta.put("resourceVersion", Json.resourceVersion(old));
    JsonNode fins = meta.get("finalizers");
    if (fins != null && fins.isArray() && fins.isEmpty()) {
      meta.remove("finalizers");
    }
    if (Json.same(old, c)) {
      return view(t, old);
    }
    if (o.dryRun()) {
      return view(t, c);
    }
    if (meta.has("deletionTimestamp") && Json.strings(meta.get("finalizers")).isEmpty()) {
      ObjectNode last = store.remove(t, c);
      afterDelete(t, last);
      return view(t, last);
    }
    store.put(t, c, old);
    afterWrite(t, c);
    return view(t, c);
  }

  private static JsonNode specPart(ResourceType t, ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("metadata");
    if (t.hasStatus()) {
      copy.remove("status");
    }
    return copy;
  }

  void afterWrite(ResourceType t, ObjectNode obj) {
    if (t.group().equals("apiextensions.k8s.io")) {
      registry.applyCrd(obj);
    }
    JsonNode owners = Json.at(obj, "metadata", "ownerReferences");
    if ((owners != null && owners.size() > 0) || Json.at(obj, "metadata", "deletionTimestamp") != null) {
      gcTrigger.run();
    }
  }

  void afterDelete(ResourceType t, ObjectNode last) {
    if (t.group().equals("apiextensions.k8s.io")) {
      String group = Json.text(last, "spec", "group");
      String plural = Json.text(last, "spec", "names", "plural");
      List<ResourceType> versions = registry.versionsOf(group, plural);
      if (!versions.isEmpty()) {
        ResourceType crType = versions.get(0);
        for (ObjectNode cr : store.listStorage(crType.storageKey())) {
          store.remove(crType, cr);
        }
        store.dropStorage(crType.storageKey());
      }
      registry.removeCrd(last);
    }
    gcTrigger.run();
  }

  // ---------------------------------------------------------------------------------------------------- scale

  ObjectNode getScale(ResourceType t, String ns, String name) {
    synchronized (store) {
      return scaleOf(t, require(t, ns, name));
    }
  }

  ObjectNode updateScale(ResourceType t, String ns, String name, JsonNode body, Options o) {
    synchronized (store) {
      return writeScale(t, require(t, ns, name), requireObject(body), o);
    }
  }

  private ObjectNode writeScale(ResourceType t, ObjectNode old, ObjectNode scale, Options o) {
    String rv = Json.resourceVersion(scale);
    if (rv != null && !rv.isEmpty() && !rv.equals(Json.resourceVersion(old))) {
      throw ApiException.conflict(t, Json.name(old));
    }
    JsonNode replicas = Json.at(scale, "spec", "replicas");
    if (replicas == null || !replicas.canConvertToInt() || replicas.asInt() < 0) {
      throw ApiException.invalid(t, Json.name(old), List.of(new ApiException.Cause("FieldValueInvalid",
          "Invalid value: " + replicas + ": must be greater than or equal to 0", "spec.replicas")));
    }
    ObjectNode c = old.deepCopy();
    setPath(c, t.scale().specReplicasPath(), Json.NODES.numberNode(replicas.asInt()));
    return scaleOf(t, commit(t, old, c, "scale", o, false));
  }

  static ObjectNode scaleOf(ResourceType t, ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      JsonNode v = Json.at(obj, "metadata", f);
      if (v != null) {
        meta.set(f, v);
      }
    }
    List<JsonNode> spec = JsonPathLite.evaluate(obj, t.scale().specReplicasPath());
    s.putObject("spec").put("replicas", spec.isEmpty() ? 0 : spec.get(0).asInt());
    ObjectNode status = s.putObject("status");
    List<JsonNode> current = JsonPathLite.evaluate(obj, t.scale().statusReplicasPath());
    status.put("replicas", current.isEmpty() ? 0 : current.get(0).asInt());
    if (!t.scale().labelSelectorPath().isEmpty()) {
      List<JsonNode> sel = JsonPathLite.evaluate(obj, t.scale().labelSelectorPath());
      if (!sel.isEmpty()) {
        status.put("selector", sel.get(0).isObject() ? formatSelector(sel.get(0)) : sel.get(0).asText());
      }
    }
    return s;
  }

  private static String formatSelector(JsonNode selector) {
    List<String> parts = new java.util.ArrayList<>();
    selector.path("matchLabels").fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String op = expr.path("operator").asText();
      String key = expr.path("key").asText();
      switch (op) {
        case "Exists" -> parts.add(key);
        case "DoesNotExist" -> parts.add("!" + key);
        default -> parts.add(key + " " + op.toLowerCase() + " (" + String.join(",", Json.strings(expr.get("values")))
            + ")");
      }
    }
    return String.join(",", parts);
  }

  private static void setPath(ObjectNode obj, String path, JsonNode value) {
    String[] parts = path.replaceFirst("^\\.", "").split("\\.");
    ObjectNode n = obj;
    for (int i = 0; i < parts.length - 1; i++) {
      n = n.withObjectProperty(parts[i]);
    }
    n.set(parts[parts.length - 1], value);
  }

  // ---------------------------------------------------------------------------------------------------- list

  /** A list answer with limit/continue pagination; 410 for a continue token or exact version past the window. */
  ObjectNode list(ResourceType t, String ns, java.util.function.Predicate<JsonNode> filter, int limit,
      String continueToken, String resourceVersion, String resourceVersionMatch) {
    synchronized (store) {
      long listRv = store.revision();
      String after = null;
      if (continueToken != null && !continueToken.isEmpty()) {
        JsonNode token;
        try {
          token = Json.parse(Base64.getUrlDecoder().decode(continueToken));
        } catch (RuntimeException e) {
          throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
        if (token == null || !token.isObject() || !token.path("rv").isIntegralNumber() || !token.path("start").isTextual()) {
          throw ApiException.badRequest("continue key is not valid: not a token this server issued");
        }
        listRv = token.path("rv").asLong();
        after = token.path("start").asText();
        if (listRv < store.compacted(t.storageKey())) {
          throw ApiException.gone("The provided continue parameter is too old to display a consistent list result. "
              + "You can start a new list without the continue parameter.");
        }
      } else if (resourceVersion != null && !resourceVersion.isEmpty() && !resourceVersion.equals("0")
          && ("Exact".equals(resourceVersionMatch) || (limit > 0 && resourceVersionMatch == null))) {
        long rv = parseRv(resourceVersion);
        if (rv < store.compacted(t.storageKey())) {
          throw ApiException.gone("The resourceVersion for the provided list is too old.");
        }
      }
      List<ObjectNode> all = store.list(t, ns, after).stream().filter(filter).toList();
      ObjectNode list = Json.object();
      list.put("kind", t.kind() + "List");
      list.put("apiVersion", t.apiVersion());
      ObjectNode meta = list.putObject("metadata");
      meta.put("resourceVersion", Long.toString(listRv));
      ArrayNode items = list.putArray("items");
      int n = limit > 0 ? Math.min(limit, all.size()) : all.size();
      for (int i = 0; i < n; i++) {
        items.add(view(t, all.get(i)));
      }
      if (n < all.size()) {
        ObjectNode last = all.get(n - 1);
        ObjectNode token = Json.object();
        token.put("rv", listRv);
        token.put("start", Store.key(t.namespaced() ? Json.namespace(last) : null, Json.name(last)));
        meta.put("continue", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8)));
        meta.put("remainingItemCount", all.size() - n);
      }
      return list;
    }
  }

  static long parseRv(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version \"" + rv + "\"");
    }
  }
}

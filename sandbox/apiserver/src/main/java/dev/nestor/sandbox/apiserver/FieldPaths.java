package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Field sets of objects, navigation by fieldsV1 paths, and the schema-aware merge used by server-side apply. */
final class FieldPaths {
  private FieldPaths() {
  }

  /** The set of fields an applied configuration specifies (the apply semantics of structured-merge-diff). */
  static FieldSet fromObject(JsonNode obj, StructuralSchema schema) {
    FieldSet set = new FieldSet();
    if (obj != null && obj.isObject()) {
      obj.fields().forEachRemaining(e -> walk(e.getValue(), child(schema, e.getKey()), e.getKey(),
          set.child("f:" + e.getKey()), schema == null));
    }
    set.compact();
    return set;
  }

  private static void walk(JsonNode v, StructuralSchema s, String field, FieldSet node, boolean schemaless) {
    if (v instanceof ObjectNode o) {
      if (o.isEmpty() || (s != null && s.isAtomicObject())) {
        node.markSelf();
        return;
      }
      o.fields().forEachRemaining(e -> walk(e.getValue(), child(s, e.getKey()), e.getKey(),
          node.child("f:" + e.getKey()), schemaless));
    } else if (v instanceof ArrayNode a) {
      ListKeys.Semantics sem = ListKeys.of(s, field, a, schemaless);
      if (a.isEmpty() || sem.kind() == ListKeys.Kind.ATOMIC) {
        node.markSelf();
      } else if (sem.kind() == ListKeys.Kind.SET) {
        a.forEach(item -> node.child("v:" + Json.write(item)).markSelf());
      } else {
        StructuralSchema items = s == null ? null : s.items;
        for (JsonNode item : a) {
          if (!item.isObject()) {
            node.markSelf();
            continue;
          }
          FieldSet itemNode = node.child("k:" + ListKeys.keyJson(item, sem.keys()));
          itemNode.markSelf();
          item.fields().forEachRemaining(e -> walk(e.getValue(), child(items, e.getKey()), e.getKey(),
              itemNode.child("f:" + e.getKey()), schemaless));
        }
      }
    } else {
      node.markSelf();
    }
  }

  /** The fields an update changed or added (the update semantics: new maps and list items are owned as a whole). */
  static FieldSet changed(JsonNode oldObj, JsonNode newObj, StructuralSchema schema) {
    FieldSet set = new FieldSet();
    if (newObj != null && newObj.isObject()) {
      newObj.fields().forEachRemaining(e -> diff(oldObj == null ? null : oldObj.get(e.getKey()), e.getValue(),
          child(schema, e.getKey()), e.getKey(), set.child("f:" + e.getKey()), schema == null));
    }
    set.compact();
    return set;
  }

  private static void diff(JsonNode oldV, JsonNode newV, StructuralSchema s, String field, FieldSet node,
      boolean schemaless) {
    if (oldV == null) {
      if (newV.isObject() && !newV.isEmpty() && isMapLike(s, field)) {
        node.markSelf();
      }
      walk(newV, s, field, node, schemaless);
      return;
    }
    if (newV instanceof ObjectNode o && oldV.isObject() && !(s != null && s.isAtomicObject()) && !o.isEmpty()) {
      o.fields().forEachRemaining(e -> diff(oldV.get(e.getKey()), e.getValue(), child(s, e.getKey()), e.getKey(),
          node.child("f:" + e.getKey()), schemaless));
      return;
    }
    if (newV instanceof ArrayNode a && oldV.isArray() && !a.isEmpty()) {
      ListKeys.Semantics sem = ListKeys.of(s, field, a, schemaless);
      if (sem.kind() == ListKeys.Kind.MAP && allObjects(a)) {
        StructuralSchema items = s == null ? null : s.items;
        for (JsonNode item : a) {
          FieldSet itemNode = node.child("k:" + ListKeys.keyJson(item, sem.keys()));
          JsonNode oldItem = ListKeys.findByKeys(oldV, item, sem.keys());
          if (oldItem == null) {
            itemNode.markSelf();
          }
          item.fields().forEachRemaining(e -> diff(oldItem == null ? null : oldItem.get(e.getKey()), e.getValue(),
              child(items, e.getKey()), e.getKey(), itemNode.child("f:" + e.getKey()), schemaless));
        }
        return;
      }
      if (sem.kind() == ListKeys.Kind.SET) {
        for (JsonNode item : a) {
          boolean present = false;
          for (JsonNode o : oldV) {
            present |= Json.same(o, item);
          }
          if (!present) {
            node.child("v:" + Json.write(item)).markSelf();
          }
        }
        return;
      }
    }
    if (!Json.same(oldV, newV)) {
      node.markSelf();
    }
  }

  private static boolean allObjects(JsonNode a) {
    for (JsonNode n : a) {
      if (!n.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMapLike(StructuralSchema s, String field) {
    if (s != null) {
      return s.isMap();
    }
    return field.equals("labels") || field.equals("annotations");
  }

  static StructuralSchema child(StructuralSchema s, String field) {
    return s == null ? null : s.field(field);
  }

  /** The value at a fieldsV1 path, or null when absent. */
  static JsonNode get(JsonNode root, List<String> path) {
    JsonNode n = root;
    for (String e : path) {
      n = step(n, e);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private static JsonNode step(JsonNode n, String e) {
    if (n == null) {
      return null;
    }
    String rest = e.substring(2);
    switch (e.charAt(0)) {
      case 'f':
        return n.isObject() ? n.get(rest) : null;
      case 'i':
        return n.isArray() ? n.get(Integer.parseInt(rest)) : null;
      default:
        int i = indexOf(n, e);
        return i < 0 ? null : n.get(i);
    }
  }

  private static int indexOf(JsonNode list, String element) {
    if (!list.isArray()) {
      return -1;
    }
    JsonNode wanted = Json.parse(element.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (element.charAt(0) == 'v') {
        if (Json.same(item, wanted)) {
          return i;
        }
      } else if (item.isObject()) {
        boolean match = true;
        var it = wanted.fields();
        while (it.hasNext() && match) {
          var kv = it.next();
          JsonNode actual = item.get(kv.getKey());
          if (actual == null && kv.getKey().equals("protocol")) {
            actual = Json.NODES.textNode("TCP");
          }
          match = Json.same(actual, kv.getValue());
        }
        if (match) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Removes the value at a path (a field, or a list item); true when something was removed. */
  static boolean remove(JsonNode root, List<String> path) {
    JsonNode parent = get(root, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o && last.startsWith("f:")) {
      return o.remove(last.substring(2)) != null;
    }
    if (parent instanceof ArrayNode a) {
      int i = last.startsWith("i:") ? Integer.parseInt(last.substring(2)) : indexOf(a, last);
      if (i >= 0 && i < a.size()) {
        a.remove(i);
        return true;
      }
    }
    return false;
  }

  /** The path as the API server prints it in conflict messages: {@code .spec.containers[name="c"].image}. */
  static String display(List<String> path) {
    StringBuilder b = new StringBuilder();
    for (String e : path) {
      String rest = e.substring(2);
      switch (e.charAt(0)) {
        case 'f' -> b.append('.').append(rest);
        case 'i' -> b.append('[').append(rest).append(']');
        case 'v' -> b.append("[=").append(rest).append(']');
        default -> {
          JsonNode key = Json.parse(rest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          StringBuilder k = new StringBuilder();
          key.fields().forEachRemaining(kv -> k.append(k.length() == 0 ? "" : ",").append(kv.getKey()).append('=')
              .append(kv.getValue().toString()));
          b.append('[').append(k).append(']');
        }
      }
    }
    return b.toString();
  }

  /** Merges an applied configuration into the live object; a null in the applied value removes the field. */
  static JsonNode merge(JsonNode live, JsonNode applied, StructuralSchema s, String field, boolean schemaless) {
    if (applied == null) {
      return live;
    }
    if (applied.isNull()) {
      return null;
    }
    if (live == null || live.isNull()) {
      return applied.deepCopy();
    }
    if (applied instanceof ObjectNode a && live instanceof ObjectNode l && !(s != null && s.isAtomicObject())) {
      ObjectNode result = l.deepCopy();
      a.fields().forEachRemaining(e -> {
        JsonNode m = merge(l.get(e.getKey()), e.getValue(), child(s, e.getKey()), e.getKey(), schemaless);
        if (m == null) {
          result.remove(e.getKey());
        } else {
          result.set(e.getKey(), m);
        }
      });
      return result;
    }
    if (applied instanceof ArrayNode a && live instanceof ArrayNode l) {
      ListKeys.Semantics sem = ListKeys.of(s, field, a, schemaless);
      if (sem.kind() == ListKeys.Kind.MAP && allObjects(a) && allObjects(l)) {
        ArrayNode result = l.deepCopy();
        StructuralSchema items = s == null ? null : s.items;
        for (JsonNode item : a) {
          int i = ListKeys.indexByKeys(result, item, sem.keys());
          if (i >= 0) {
            result.set(i, merge(result.get(i), item, items, null, schemaless));
          } else {
            result.add(item.deepCopy());
          }
        }
        return result;
      }
      if (sem.kind() == ListKeys.Kind.SET) {
        ArrayNode result = l.deepCopy();
        for (JsonNode item : a) {
          boolean present = false;
          for (JsonNode x : result) {
            present |= Json.same(x, item);
          }
          if (!present) {
            result.add(item.deepCopy());
          }
        }
        return result;
      }
    }
    return applied.deepCopy();
  }
}

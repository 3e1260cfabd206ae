package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of field paths in the API server's {@code fieldsV1} form: path elements are {@code f:<field>},
 * {@code k:<key json>} (list-map items), {@code v:<value json>} (set items) and {@code i:<index>}; a node that is
 * itself a member is written with {@code ".": {}} when it also has children.
 */
final class FieldSet {
  private boolean self;
  private final Map<String, FieldSet> children = new LinkedHashMap<>();

  static FieldSet fromFieldsV1(JsonNode node) {
    FieldSet s = new FieldSet();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals(".")) {
          s.self = true;
        } else {
          FieldSet c = fromFieldsV1(e.getValue());
          if (c.children.isEmpty()) {
            c.self = true;
          }
          s.children.put(e.getKey(), c);
        }
      });
    }
    return s;
  }

  ObjectNode toFieldsV1() {
    ObjectNode o = Json.object();
    if (self && !children.isEmpty()) {
      o.putObject(".");
    }
    children.forEach((k, v) -> o.set(k, v.toFieldsV1()));
    return o;
  }

  FieldSet child(String element) {
    return children.computeIfAbsent(element, k -> new FieldSet());
  }

  void markSelf() {
    self = true;
  }

  boolean isEmpty() {
    return !self && children.values().stream().allMatch(FieldSet::isEmpty);
  }

  /** All member paths, parents before children. */
  List<List<String>> paths() {
    List<List<String>> out = new ArrayList<>();
    collect(new ArrayList<>(), out);
    return out;
  }

  private void collect(List<String> prefix, List<List<String>> out) {
    if (self && !prefix.isEmpty()) {
      out.add(List.copyOf(prefix));
    }
    children.forEach((k, v) -> {
      prefix.add(k);
      v.collect(prefix, out);
      prefix.remove(prefix.size() - 1);
    });
  }

  private FieldSet node(List<String> path) {
    FieldSet n = this;
    for (String e : path) {
      n = n.children.get(e);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  boolean contains(List<String> path) {
    FieldSet n = node(path);
    return n != null && n.self;
  }

  /** True when the path or anything below it is a member. */
  boolean containsOrBelow(List<String> path) {
    FieldSet n = node(path);
    return n != null && !n.isEmpty();
  }

  void insert(List<String> path) {
    FieldSet n = this;
    for (String e : path) {
      n = n.child(e);
    }
    n.self = true;
  }

  void remove(List<String> path) {
    FieldSet n = node(path);
    if (n != null) {
      n.self = false;
    }
    compact();
  }

  void addAll(FieldSet other) {
    other.paths().forEach(this::insert);
  }

  FieldSet copy() {
    FieldSet c = new FieldSet();
    c.addAll(this);
    return c;
  }

  /** Drops nodes that hold no member. */
  void compact() {
    children.values().removeIf(c -> {
      c.compact();
      return c.isEmpty();
    });
  }

  boolean sameAs(FieldSet other) {
    return toFieldsV1().equals(other.toFieldsV1());
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Label and field selectors of list and watch requests. */
final class Selectors {
  private static final Pattern SET_EXPR = Pattern.compile("^\\s*([^\\s!=]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");

  private Selectors() {
  }

  static Predicate<JsonNode> labels(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> terms = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      terms.add(labelTerm(term.trim()));
    }
    return o -> terms.stream().allMatch(t -> t.test(o));
  }

  /** Splits on commas that are not inside an {@code in (a,b)} set. */
  private static List<String> splitTerms(String selector) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString());
    }
    return out;
  }

  private static Predicate<JsonNode> labelTerm(String term) {
    Matcher m = SET_EXPR.matcher(term);
    if (m.matches()) {
      String key = m.group(1);
      Set<String> values = Set.of(m.group(3).trim().isEmpty() ? new String[0] : m.group(3).trim().split("\\s*,\\s*"));
      boolean in = m.group(2).equals("in");
      return o -> {
        String v = label(o, key);
        return in ? v != null && values.contains(v) : v == null || !values.contains(v);
      };
    }
    if (term.startsWith("!")) {
      String key = term.substring(1).trim();
      return o -> label(o, key) == null;
    }
    int ne = term.indexOf("!=");
    if (ne > 0) {
      String key = term.substring(0, ne).trim();
      String value = term.substring(ne + 2).trim();
      return o -> !value.equals(label(o, key));
    }
    int eq = term.indexOf('=');
    if (eq > 0) {
      String key = term.substring(0, eq).trim();
      String value = term.substring(term.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return o -> value.equals(label(o, key));
    }
    if (!term.matches("[A-Za-z0-9./_-]+")) {
      throw ApiException.badRequest("unable to parse requirement: invalid label selector: " + term);
    }
    return o -> label(o, term) != null;
  }

  private static String label(JsonNode o, String key) {
    return Json.text(o, "metadata", "labels", key);
  }

  /** Field selector; custom resources support only metadata.name and metadata.namespace, as on a real server. */
  static Predicate<JsonNode> fields(String selector, ResourceType type) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> terms = new ArrayList<>();
    for (String term : selector.split(",")) {
      boolean negate = term.contains("!=");
      String[] kv = term.split(negate ? "!=" : "==?", 2);
      if (kv.length != 2) {
        throw ApiException.badRequest("invalid field selector: " + term);
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      if (type.custom() && !field.equals("metadata.name") && !field.equals("metadata.namespace")) {
        throw ApiException.badRequest("field label not supported: " + field);
      }
      String[] path = field.split("\\.");
      terms.add(o -> {
        String actual = Json.text(o, path);
        boolean eq = value.equals(actual == null ? "" : actual);
        return negate != eq;
      });
    }
    return o -> terms.stream().allMatch(t -> t.test(o));
  }
}

package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of Kubernetes JSONPath used by printer columns: {@code .a.b}, {@code ['dotted.key']}, {@code [0]},
 * {@code [*]} and filters {@code [?(@.type=="Ready")]} with {@code ==} or {@code !=}.
 */
final class JsonPathLite {
  private JsonPathLite() {
  }

  static List<JsonNode> evaluate(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    int i = 0;
    while (i < p.length() && !current.isEmpty()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i + 1, end);
        current = field.isEmpty() ? current : children(current, field);
        i = end;
      } else if (c == '[') {
        int end = closing(p, i);
        current = bracket(current, p.substring(i + 1, end).trim());
        i = end + 1;
      } else {
        int end = i;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        current = children(current, p.substring(i, end));
        i = end;
      }
    }
    return current;
  }

  private static int closing(String p, int open) {
    int depth = 0;
    boolean quoted = false;
    char quote = 0;
    for (int i = open; i < p.length(); i++) {
      char c = p.charAt(i);
      if (quoted) {
        if (c == quote) {
          quoted = false;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i;
      }
    }
    return p.length() - 1;
  }

  private static List<JsonNode> children(List<JsonNode> nodes, String field) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      JsonNode c = n.isObject() ? n.get(field) : null;
      if (c != null && !c.isNull()) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<JsonNode> bracket(List<JsonNode> nodes, String expr) {
    List<JsonNode> out = new ArrayList<>();
    if (expr.startsWith("'") || expr.startsWith("\"")) {
      String key = expr.substring(1, expr.length() - 1).replace("\\.", ".");
      return children(nodes, key);
    }
    for (JsonNode n : nodes) {
      if (!n.isArray()) {
        continue;
      }
      if (expr.equals("*")) {
        n.forEach(out::add);
      } else if (expr.startsWith("?(")) {
        String cond = expr.substring(2, expr.length() - 1).trim();
        boolean negate = cond.contains("!=");
        String[] parts = cond.split(negate ? "!=" : "==", 2);
        String left = parts[0].trim();
        String right = parts.length > 1 ? unquote(parts[1].trim()) : null;
        for (JsonNode item : n) {
          List<JsonNode> v = evaluate(item, left.startsWith("@") ? left.substring(1) : left);
          boolean match = right == null ? !v.isEmpty()
              : !v.isEmpty() && right.equals(v.get(0).isTextual() ? v.get(0).asText() : v.get(0).toString());
          if (match != negate) {
            out.add(item);
          }
        }
      } else {
        try {
          int idx = Integer.parseInt(expr);
          JsonNode item = n.get(idx < 0 ? n.size() + idx : idx);
          if (item != null) {
            out.add(item);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("unsupported JSONPath expression [" + expr + "]", e);
        }
      }
    }
    return out;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}

package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helm values: catalog defaults with cluster facts filled in, and the user's values deep-merged over them. */
public final class Values {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z]+)}");

    private Values() {
    }

    /**
     * {@code over} merged into a copy of {@code base}: objects merge key by key, anything else (lists included, as
     * Helm does) is replaced by the user's value; an explicit null removes the default.
     */
    public static JsonNode deepMerge(JsonNode base, JsonNode over) {
        if (over == null) {
            return base.deepCopy();
        }
        if (!base.isObject() || !over.isObject()) {
            return over.deepCopy();
        }
        ObjectNode merged = ((ObjectNode) base).deepCopy();
        over.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                merged.remove(e.getKey());
            } else if (merged.has(e.getKey())) {
                merged.set(e.getKey(), deepMerge(merged.get(e.getKey()), e.getValue()));
            } else {
                merged.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return merged;
    }

    /**
     * A copy of {@code values} with every {@code ${var}} replaced: a string that is exactly one variable takes the
     * variable's type (a port stays a number), otherwise the text is substituted. An unknown variable is an error in
     * the catalog.
     */
    public static JsonNode substitute(JsonNode values, Map<String, Object> variables) {
        if (values.isTextual()) {
            String text = values.asText();
            Matcher whole = VARIABLE.matcher(text);
            if (whole.matches()) {
                Object value = lookup(variables, whole.group(1));
                if (value instanceof Integer number) {
                    return JsonNodeFactory.instance.numberNode(number);
                }
                return JsonNodeFactory.instance.textNode(value.toString());
            }
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(lookup(variables, m.group(1)).toString()));
            }
            m.appendTail(out);
            return JsonNodeFactory.instance.textNode(out.toString());
        }
        if (values.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            values.fields().forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), variables)));
            return copy;
        }
        if (values.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            values.forEach(v -> copy.add(substitute(v, variables)));
            return copy;
        }
        return values.deepCopy();
    }

    private static Object lookup(Map<String, Object> variables, String name) {
        Object value = variables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("catalog values name an unknown variable ${" + name + "}");
        }
        return value;
    }
}

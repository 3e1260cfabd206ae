package dev.nestor.sandbox.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Computes RFC 7386 JSON merge patches between JSON-like values (maps, lists, scalars). */
final class MergePatch {

    private MergePatch() {
    }

    /**
     * The merge patch turning {@code from} into {@code to}: changed keys with their new values, removed keys as
     * {@code null}, nested objects recursively; lists and scalars are replaced whole.
     */
    @SuppressWarnings("unchecked")
    static Object diff(Object from, Object to) {
        if (!(from instanceof Map<?, ?> before) || !(to instanceof Map<?, ?> after)) {
            return to;
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : before.entrySet()) {
            if (!after.containsKey(entry.getKey())) {
                patch.put((String) entry.getKey(), null);
            }
        }
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) after).entrySet()) {
            Object old = before.get(entry.getKey());
            if (!before.containsKey(entry.getKey()) || !Api.sameJson(old, entry.getValue())) {
                patch.put(entry.getKey(), diff(old, entry.getValue()));
            }
        }
        return patch;
    }
}

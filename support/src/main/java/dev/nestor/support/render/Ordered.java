package dev.nestor.support.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rendered objects as ordered maps and lists, so their YAML and their server-side applies are stable. */
public final class Ordered {
    private Ordered() {
    }

    /** An ordered map from alternating keys and values; null values are left out. */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    /** An immutable list of the items. */
    public static List<Object> list(Object... items) {
        return List.of(items);
    }
}

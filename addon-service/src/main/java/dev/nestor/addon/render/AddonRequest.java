package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a TenantCluster's {@code spec.addons.<name>} asks for; each part may be absent.
 *
 * @param enabled null: the catalog's default
 * @param version null: the catalog's version
 * @param values  null: none; deep-merged over the catalog's values
 */
public record AddonRequest(Boolean enabled, String version, JsonNode values) {

    /** The requests of a spec's {@code addons} object (a missing or non-object node is no request). */
    public static Map<String, AddonRequest> fromSpec(JsonNode spec) {
        Map<String, AddonRequest> requests = new LinkedHashMap<>();
        JsonNode addons = spec == null ? null : spec.get("addons");
        if (addons == null || !addons.isObject()) {
            return requests;
        }
        addons.fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            JsonNode enabled = a.get("enabled");
            JsonNode version = a.get("version");
            JsonNode values = a.get("values");
            requests.put(e.getKey(), new AddonRequest(
                    enabled != null && enabled.isBoolean() ? enabled.booleanValue() : null,
                    version != null && version.isTextual() && !version.asText().isBlank() ? version.asText() : null,
                    values != null && values.isObject() ? values : null));
        });
        return requests;
    }
}

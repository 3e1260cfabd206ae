package dev.nestor.autoscaler.render;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-cluster settings of {@code spec.autoscaling}, with cluster-autoscaler's own defaults where the spec says
 * nothing. cluster-service validates the spec; a value that still does not parse falls back to the default rather
 * than crash-looping the autoscaler on a bad flag.
 */
public record ScaleDownSettings(String unneededTime, String delayAfterAdd, String utilizationThreshold,
        String expander) {

    public static final ScaleDownSettings DEFAULTS = new ScaleDownSettings("10m", "10m", "0.5", "least-waste");

    private static final Pattern DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
    private static final Set<String> EXPANDERS = Set.of("random", "most-pods", "least-waste", "price", "priority",
            "least-nodes");

    /** The settings in a TenantCluster spec ({@code spec.autoscaling}; missing or null means defaults). */
    public static ScaleDownSettings from(JsonNode spec) {
        JsonNode a = spec == null ? null : spec.path("autoscaling");
        if (a == null || !a.isObject()) {
            return DEFAULTS;
        }
        return new ScaleDownSettings(
                duration(a.path("scaleDownUnneededTime"), DEFAULTS.unneededTime),
                duration(a.path("scaleDownDelayAfterAdd"), DEFAULTS.delayAfterAdd),
                threshold(a.path("scaleDownUtilizationThreshold"), DEFAULTS.utilizationThreshold),
                a.path("expander").isTextual() && EXPANDERS.contains(a.path("expander").asText())
                        ? a.path("expander").asText() : DEFAULTS.expander);
    }

    /** Whether the autoscaler reads its priority ConfigMap (and so needs to list ConfigMaps in its namespace). */
    public boolean priorityExpander() {
        return "priority".equals(expander);
    }

    /** The cluster-autoscaler flags these settings stand for. */
    public List<String> flags() {
        return List.of(
                "--scale-down-unneeded-time=" + unneededTime,
                "--scale-down-delay-after-add=" + delayAfterAdd,
                "--scale-down-utilization-threshold=" + utilizationThreshold,
                "--expander=" + expander);
    }

    private static String duration(JsonNode value, String fallback) {
        return value.isTextual() && DURATION.matcher(value.asText()).matches() ? value.asText() : fallback;
    }

    private static String threshold(JsonNode value, String fallback) {
        if (!value.isTextual() && !value.isNumber()) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(value.asText());
            return v > 0 && v <= 1 ? value.asText() : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

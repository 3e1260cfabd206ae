package dev.nestor.cluster.lifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * What a KamajiControlPlane says, read with the traps of DESIGN §5.1 in mind: the live state is
 * the {@code Available} condition (not {@code initialization.controlPlaneInitialized}, which never
 * clears), and a False condition with reason {@code Pending} is a real error while {@code Failed}
 * only means "still waiting".
 */
public record ControlPlaneFacts(boolean exists, boolean available, boolean hardError, String message,
        String version, String specVersion, String endpoint) {

    public static final ControlPlaneFacts ABSENT = new ControlPlaneFacts(false, false, false, null, null, null, null);

    /**
     * An upgrade runs while {@code spec.version} differs from {@code status.version} — only once
     * {@code status.version} is set: before that the control plane is still being provisioned.
     * Kamaji's {@code ready} stays true throughout, so it says nothing here.
     */
    public boolean upgrading() {
        return version != null && specVersion != null && !normalise(specVersion).equals(normalise(version));
    }

    private static String normalise(String v) {
        return v.startsWith("v") ? v : "v" + v;
    }

    static final String KAMAJI_HARD_ERROR_REASON = "Pending";

    /** Reads a KamajiControlPlane; null means not created yet. */
    @SuppressWarnings("unchecked")
    public static ControlPlaneFacts of(GenericKubernetesResource kcp) {
        if (kcp == null) {
            return ABSENT;
        }
        Map<String, Object> status = (Map<String, Object>) kcp.getAdditionalProperties().get("status");
        Map<String, Object> spec = (Map<String, Object>) kcp.getAdditionalProperties().get("spec");
        String specVersion = spec == null ? null : (String) spec.get("version");
        if (status == null) {
            return new ControlPlaneFacts(true, false, false, null, null, specVersion, null);
        }
        boolean available = false;
        boolean hardError = false;
        String message = null;
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
        for (Map<String, Object> c : conditions) {
            if ("Available".equals(c.get("type"))) {
                available = "True".equals(c.get("status"));
            }
            if ("False".equals(c.get("status")) && KAMAJI_HARD_ERROR_REASON.equals(c.get("reason"))) {
                hardError = true;
                message = c.get("type") + ": " + c.getOrDefault("message", "");
            }
        }
        String endpoint = null;
        if (spec != null && spec.get("controlPlaneEndpoint") instanceof Map<?, ?> ep && ep.get("host") != null) {
            endpoint = "https://" + ep.get("host") + (ep.get("port") == null ? "" : ":" + ep.get("port"));
        }
        return new ControlPlaneFacts(true, available, hardError, message, (String) status.get("version"), specVersion,
                endpoint);
    }
}

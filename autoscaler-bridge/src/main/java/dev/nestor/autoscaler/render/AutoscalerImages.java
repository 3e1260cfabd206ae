package dev.nestor.autoscaler.render;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version table: a tenant Kubernetes minor ({@code v1.33}) → the cluster-autoscaler image of the same minor
 * (reference §5.6: the autoscaler minor matches the tenant's). The table is configuration.
 */
public final class AutoscalerImages {
    /** Below this minor the autoscaler cannot resolve v1beta2 {@code apiGroup}-only references (DESIGN §7). */
    static final int FIRST_MINOR_READING_V1BETA2 = 34;

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(\\..*)?");

    private final Map<String, String> imagesByMinor;

    public AutoscalerImages(Map<String, String> imagesByMinor) {
        this.imagesByMinor = new TreeMap<>(imagesByMinor);
    }

    /** The image for a tenant version such as {@code v1.33.5} or {@code v1.33}; empty for a minor not in the table. */
    public Optional<String> imageFor(String kubernetesVersion) {
        return minor(kubernetesVersion).map(imagesByMinor::get);
    }

    /** {@code v1.33.5} → {@code v1.33}; empty when the text is no version. */
    public static Optional<String> minor(String kubernetesVersion) {
        if (kubernetesVersion == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(kubernetesVersion.trim());
        return m.matches() ? Optional.of("v" + m.group(1) + "." + m.group(2)) : Optional.empty();
    }

    /** Whether an autoscaler of this version needs {@code CAPI_VERSION=v1beta1} (older than 1.34). */
    public static boolean needsV1beta1(String kubernetesVersion) {
        Matcher m = VERSION.matcher(kubernetesVersion == null ? "" : kubernetesVersion.trim());
        if (!m.matches()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major == 1 && minor < FIRST_MINOR_READING_V1BETA2;
    }
}

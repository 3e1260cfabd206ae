package dev.nestor.autoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of autoscaler-bridge, under the prefix {@code nestor}. */
@ConfigMapping(prefix = "nestor")
public interface BridgeConfig {

    /** The version table: a tenant Kubernetes minor such as {@code v1.33} → the cluster-autoscaler image of that minor. */
    Map<String, String> autoscalerImages();

    /** How often every known cluster is reconciled again, and its state report re-emitted. */
    @WithDefault("1m")
    Duration resync();

    /**
     * The key of the tenant's admin kubeconfig Secret the bridge connects with (the in-cluster address: the bridge and
     * the autoscaler run in the management cluster).
     */
    @WithDefault("super-admin.svc")
    String adminKubeconfigKey();

    /** How long the autoscaler Deployment may stay unavailable before the cluster's autoscaler is reported failed. */
    @WithDefault("5m")
    Duration availabilityDeadline();

    /** How many scaling events the REST API keeps per cluster (the latest ones). */
    @WithDefault("50")
    int scalingHistorySize();

    /**
     * How far back the REST API's scaling events go: every replica reads {@code nestor.autoscaling} from this long ago
     * when it starts (keep it within the topic's retention, 7 days).
     */
    @WithDefault("24h")
    Duration scalingHistoryWindow();

    /** Worker threads reconciling clusters. */
    @WithDefault("4")
    int workers();

    /** The Lease that decides which replica reconciles and consumes (DESIGN §10). */
    Lease lease();

    /** Leader election settings. */
    interface Lease {
        /** Name of the Lease. */
        @WithDefault("nestor-autoscaler-bridge")
        String name();

        /** Namespace of the Lease; when unset the pod's namespace, else the client's, else {@code nestor-system}. */
        Optional<String> namespace();
    }
}

package dev.nestor.addon.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every setting of addon-service, under the prefix {@code nestor}. */
@ConfigMapping(prefix = "nestor")
public interface AddonServiceConfig {

    /** Whether the reconciler runs (off in tests that exercise only the REST API). */
    @WithDefault("true")
    boolean reconcile();

    /** How often every known cluster is reconciled and its state report re-emitted, whatever happened. */
    @WithDefault("1m")
    Duration resync();

    /**
     * How long a deleted HelmRelease may keep Flux's finalizer (Flux uninstalling from a tenant that may be gone)
     * before addon-service removes the finalizer so the cluster's deletion never hangs.
     */
    @WithDefault("90s")
    Duration deletionDeadline();

    /** The Lease that decides which replica consumes and reconciles (DESIGN §10). */
    Lease lease();

    /** Leader election. */
    interface Lease {
        /** Namespace of the Lease {@code nestor-addon-service}; unset: the pod's namespace, else the client's. */
        Optional<String> namespace();

        /** This replica's name in the Lease (the pod name in a cluster). */
        @WithDefault("addon-service")
        String identity();
    }
}

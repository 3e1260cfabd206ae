package dev.nestor.bridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** csi-bridge's configuration (prefix {@code nestor.bridge}). */
@ConfigMapping(prefix = "nestor.bridge")
public interface BridgeConfig {

    /** How often every owned cluster is reconciled (and its state report re-emitted) without a wake-up. */
    @WithDefault("60s")
    Duration resync();

    /** The least time between two new tenant connections, so a restart does not open 2,000 at once. */
    @WithDefault("100ms")
    Duration connectInterval();

    /** The keys of the tenant kubeconfig Secret to try, in order (Kamaji: in-cluster {@code admin.svc} first). */
    @WithDefault("admin.svc,admin.conf,value")
    List<String> kubeconfigKeys();

    /** How long a hot-plug, an unplug or a provisioning may take before it is reported failed. */
    @WithDefault("2m")
    Duration operationTimeout();

    /** Storage settings. */
    Storage storage();

    /** Load-balancer settings. */
    LoadBalancer loadBalancer();

    /** Storage settings. */
    interface Storage {
        /**
         * The infrastructure storage classes a tenant may use when its namespace carries no
         * {@code nestor.dev/storage-classes} annotation; none means only the infrastructure default class.
         */
        Optional<List<String>> defaultAllowedClasses();
    }

    /** Load-balancer settings. */
    interface LoadBalancer {
        /** Tenant Service annotations copied to the management Service (an operator's allow-list); none by default. */
        Optional<List<String>> allowedAnnotations();
    }
}

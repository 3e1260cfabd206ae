package dev.nestor.cluster.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of cluster-service, under the prefix {@code nestor}. */
@ConfigMapping(prefix = "nestor")
public interface ClusterServiceConfig {

    /** The version catalog: a minor such as {@code v1.33} → its pinned patch and worker image. */
    Map<String, VersionEntry> versions();

    /** Named VM sizes a node group may use as {@code instanceType}. */
    Map<String, InstanceType> instanceTypes();

    /** Allow-lists per tenant; tenants not listed get {@link #defaultTenantPolicy()}. */
    Map<String, TenantPolicy> tenants();

    /** The allow-lists of a tenant with no entry of its own. */
    TenantPolicy defaultTenantPolicy();

    /** How many clusters a tenant onboarded without {@code quota.clusters} may own (its namespace's ResourceQuota). */
    @WithDefault("10")
    int defaultClusterQuota();

    /** Names of the add-ons a spec may mention (addon-service owns their content). */
    List<String> addonCatalog();

    /** Deadlines and switches of the lifecycle. */
    Lifecycle lifecycle();

    /** The Lease that decides which replica reconciles and consumes (DESIGN §10). */
    LeaderElectionSettings leaderElection();

    /** Leader election settings; the defaults let another replica take over within 30 s. */
    interface LeaderElectionSettings {
        /** Name of the Lease. */
        @WithDefault("nestor-cluster-service")
        String leaseName();

        /** Namespace of the Lease; the client's namespace when unset. */
        Optional<String> leaseNamespace();

        /** How long a lease holds without renewal. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader tries to renew before it gives up (and exits). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often candidates retry. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    /** A pinned patch version and the worker disk image that goes with it. */
    interface VersionEntry {
        /** The patch version a spec naming only the minor resolves to, e.g. v1.33.4. */
        String patch();

        /** Container disk image of the worker VMs for this version. */
        String image();
    }

    /** A VM size. */
    interface InstanceType {
        /** vCPUs, as a Kubernetes quantity. */
        String cpu();

        /** Guest memory, as a Kubernetes quantity. */
        String memory();
    }

    /** What a tenant may pick. */
    interface TenantPolicy {
        /** Kamaji DataStores the tenant may use. */
        @WithDefault("default")
        List<String> dataStores();

        /** Management StorageClasses for worker disks; empty means only the cluster default. */
        Optional<List<String>> storageClasses();

        /** KubeVirt GPU device names the tenant may request. */
        Optional<List<String>> gpuModels();
    }

    /** Lifecycle settings. */
    interface Lifecycle {
        /** The deadlines and debounce the lifecycle derivation uses. */
        default dev.nestor.cluster.lifecycle.LifecycleTimings timings() {
            return new dev.nestor.cluster.lifecycle.LifecycleTimings(provisioningDeadline(), scalingDeadline(),
                    autoscalerDebounce());
        }

        /** A cluster not Ready this long after creation is Failed (reason ProvisioningTimeout). */
        @WithDefault("15m")
        Duration provisioningDeadline();

        /** A Ready cluster whose node groups do not converge this long is Degraded (reason ScalingStalled). */
        @WithDefault("15m")
        Duration scalingDeadline();

        /** A resize of autoscaled groups shows as Scaling only once it lasts this long (DESIGN §5.1: at least 30 s). */
        @WithDefault("30s")
        Duration autoscalerDebounce();

        /** How long one deletion step may wait before DeletionBlocked is set and deletion moves on. */
        @WithDefault("5m")
        Duration deletionStepDeadline();

        /** Whether Ready waits for the required add-ons (switched on once addon-service reports). */
        @WithDefault("false")
        boolean requireAddons();

    }
}

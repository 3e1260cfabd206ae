package dev.nestor.cluster.reconcile;

import dev.nestor.cluster.model.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters this replica reconciles, counted per phase ({@code nestor.clusters}, tag {@code phase}): a count per
 * phase, never a series per cluster. Only the lease holder reconciles, so only its counts are non-zero; read them
 * together with {@code nestor.leader}.
 */
@ApplicationScoped
public class ClusterMetrics {
    /** The gauge of clusters per phase. */
    public static final String CLUSTERS_METRIC = "nestor.clusters";

    private final Map<String, Phase> phases = new ConcurrentHashMap<>();

    ClusterMetrics(MeterRegistry metrics) {
        for (Phase phase : Phase.values()) {
            Gauge.builder(CLUSTERS_METRIC, phases, known -> known.values().stream().filter(phase::equals).count())
                    .tag("phase", phase.name()).description("clusters in this phase").strongReference(true)
                    .register(metrics);
        }
    }

    /** Records the phase a reconcile derived for the cluster {@code uid}. */
    void observed(String uid, String phase) {
        if (uid != null && phase != null) {
            phases.put(uid, Phase.valueOf(phase));
        }
    }

    /** Forgets a cluster whose deletion is complete. */
    void forget(String uid) {
        phases.remove(uid);
    }
}

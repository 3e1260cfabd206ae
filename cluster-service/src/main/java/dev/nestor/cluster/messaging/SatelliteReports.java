package dev.nestor.cluster.messaging;

import dev.nestor.cluster.lifecycle.SatelliteFacts;
import dev.nestor.events.EventSources;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeStateReport;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest state report per (source, cluster uid), in memory (DESIGN §5.2). Each report is a
 * satellite's full view, so only the newest by event time matters: an older one, or the same one
 * delivered again (same source, uid and id), changes nothing. Thread-safe.
 */
@ApplicationScoped
public class SatelliteReports {

    /** What recording a report did. */
    public enum Outcome {
        /** It is the newest report of its source about its uid and is now the one held. */
        RECORDED,
        /** The report held has the same id: a redelivery. */
        DUPLICATE,
        /** The report held is newer. */
        OUTDATED
    }

    private record Key(String source, String clusterUid) {
    }

    private final Map<Key, NestorEvent<?>> latest = new ConcurrentHashMap<>();

    /** Records a state report whose data is its payload record; only a newer one replaces the one held. */
    public Outcome record(NestorEvent<?> report) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        latest.compute(new Key(report.source(), report.clusterUid()), (key, held) -> {
            if (held != null && held.id().equals(report.id())) {
                outcome.set(Outcome.DUPLICATE);
                return held;
            }
            if (held != null && report.time().isBefore(held.time())) {
                outcome.set(Outcome.OUTDATED);
                return held;
            }
            outcome.set(Outcome.RECORDED);
            return report;
        });
        return outcome.get();
    }

    /** The summary of the latest reports about a cluster uid, for the lifecycle derivation. */
    public SatelliteFacts facts(String clusterUid) {
        return SatelliteFacts.of(payload(EventSources.ADDON_SERVICE, clusterUid, AddonStateReport.class),
                payload(EventSources.AUTOSCALER_BRIDGE, clusterUid, AutoscalerStateReport.class),
                payload(EventSources.CSI_BRIDGE, clusterUid, BridgeStateReport.class));
    }

    /** Forgets every report about a deleted cluster's uid. */
    public void forget(String clusterUid) {
        for (String source : EventSources.all()) {
            latest.remove(new Key(source, clusterUid));
        }
    }

    private <T> T payload(String source, String clusterUid, Class<T> type) {
        NestorEvent<?> held = latest.get(new Key(source, clusterUid));
        return held != null && type.isInstance(held.data()) ? type.cast(held.data()) : null;
    }
}

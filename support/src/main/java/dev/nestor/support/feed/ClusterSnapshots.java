package dev.nestor.support.feed;

import dev.nestor.events.payload.ClusterStateSnapshot;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link ClusterStateSnapshot} per record key ({@code <namespace>/<name>}), as a satellite knows it from
 * the compacted {@code nestor.cluster.state} topic (DESIGN §5.3). Thread-safe.
 *
 * <p>A snapshot of another uid under the same key is a new cluster and replaces the old one; of the same uid, an
 * older one (lower sequence or generation) is ignored, so a re-read of the topic never moves a cluster backwards.
 */
public final class ClusterSnapshots {

    /** What recording a snapshot did. */
    public enum Outcome {
        /** It is news: a new cluster, a newer state, or different content at the same position. */
        RECORDED,
        /** Identical to the one already known. */
        UNCHANGED,
        /** Older than the one already known for that uid. */
        STALE
    }

    private final Map<String, ClusterStateSnapshot> byKey = new ConcurrentHashMap<>();

    public Optional<ClusterStateSnapshot> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<ClusterStateSnapshot> all() {
        return List.copyOf(byKey.values());
    }

    public Set<String> keys() {
        return Set.copyOf(byKey.keySet());
    }

    /** Records {@code snapshot} under {@code key} unless it is older than what is known for the same uid. */
    public Outcome record(String key, ClusterStateSnapshot snapshot) {
        Outcome[] outcome = {Outcome.RECORDED};
        byKey.compute(key, (k, known) -> {
            if (known == null || !known.uid().equals(snapshot.uid())) {
                return snapshot;
            }
            if (snapshot.sequence() < known.sequence() || snapshot.generation() < known.generation()) {
                outcome[0] = Outcome.STALE;
                return known;
            }
            if (snapshot.equals(known)) {
                outcome[0] = Outcome.UNCHANGED;
            }
            return snapshot;
        });
        return outcome[0];
    }

    /** Forgets a key (a tombstone, or its partition moved to another replica); true when it was known. */
    public boolean forget(String key) {
        return byKey.remove(key) != null;
    }

    /** Whether the lifecycle event ({@code uid}, {@code sequence}) is already reflected by the known snapshot. */
    boolean covers(String key, String uid, long sequence) {
        ClusterStateSnapshot known = byKey.get(key);
        return known != null && known.uid().equals(uid) && known.sequence() >= sequence;
    }
}

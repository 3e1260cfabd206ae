package dev.nestor.addon.reconcile;

import dev.nestor.addon.apply.Releases;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.render.DesiredAddon;
import dev.nestor.addon.render.Labels;
import dev.nestor.addon.render.Names;
import dev.nestor.addon.status.AddonStates;
import dev.nestor.addon.status.ClusterView;
import dev.nestor.events.EventTypes;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles one cluster's add-ons, level-triggered (DESIGN §5.3): whatever woke it, it re-reads the TenantCluster
 * and the cluster's Flux objects and, in order: tears down the objects of any uid that is gone or deleting
 * (suspend, delete, and past the deadline strip Flux's finalizer), applies the source and HelmRelease of every enabled
 * add-on once the control plane is ready, deletes the releases of add-ons switched off, and reports every add-on's
 * state on {@code nestor.addons}.
 */
public final class AddonReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(AddonReconciler.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** How soon to look again while something is in motion (the HelmRelease informer usually wakes us earlier). */
    static final Duration IN_MOTION = Duration.ofSeconds(10);
    /** How soon to look again while a teardown waits for Flux. */
    static final Duration TEARING_DOWN = Duration.ofSeconds(2);

    private final AddonCatalog catalog;
    private final Releases releases;
    private final Function<String, Optional<ClusterStateSnapshot>> snapshots;
    private final BiPredicate<String, GenericKubernetesResource> goneOrDeleting;
    private final ReportSink reports;
    private final Clock clock;
    private final Duration resync;
    private final Duration deletionDeadline;
    /** The last report sent per cluster uid, to send again only on change or once per resync. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    /** The uids whose removal was reported (bounded: only a recent teardown can be seen again). */
    private final Set<String> removedReported = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));

    private record Sent(String tenant, String namespace, String cluster, long generation, List<AddonState> states,
            Instant at) {
    }

    /**
     * @param snapshots      the latest state snapshot per key, from the feed
     * @param goneOrDeleting whether the TenantCluster of key and the uid a release carries is gone or deleting,
     *                       confirmed against the API before anything is torn down
     */
    public AddonReconciler(AddonCatalog catalog, Releases releases,
            Function<String, Optional<ClusterStateSnapshot>> snapshots,
            BiPredicate<String, GenericKubernetesResource> goneOrDeleting, ReportSink reports, Clock clock,
            Duration resync, Duration deletionDeadline) {
        this.catalog = catalog;
        this.releases = releases;
        this.snapshots = snapshots;
        this.goneOrDeleting = goneOrDeleting;
        this.reports = reports;
        this.clock = clock;
        this.resync = resync;
        this.deletionDeadline = deletionDeadline;
    }

    /** Reconciles the cluster with record key {@code <namespace>/<name>}; returns when to look again. */
    public Optional<Duration> reconcile(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        MDC.put("kind", "TenantCluster");
        MDC.put("namespace", namespace);
        MDC.put("name", name);
        MDC.put("reconcile", UUID.randomUUID().toString().substring(0, 8));
        try {
            return reconcile(key, namespace, name);
        } finally {
            MDC.clear();
        }
    }

    private Optional<Duration> reconcile(String key, String namespace, String name) {
        Optional<ClusterStateSnapshot> snapshot = snapshots.apply(key);
        Optional<GenericKubernetesResource> tc = releases.tenantCluster(namespace, name)
                .filter(t -> t.getMetadata().getDeletionTimestamp() == null);
        String liveUid = tc.map(t -> t.getMetadata().getUid()).orElse(null);
        List<GenericKubernetesResource> hrs = releases.ofCluster(namespace, name);
        List<GenericKubernetesResource> sources = releases.sourcesOf(namespace, name);

        Optional<Duration> next = Optional.empty();
        // Step 1: objects of a uid that is not the live cluster's belong to a deleted (or deleting) cluster.
        Set<String> foreign = new TreeSet<>();
        for (GenericKubernetesResource o : concat(hrs, sources)) {
            String uid = label(o, Labels.CLUSTER_UID);
            if (uid != null && !uid.equals(liveUid)) {
                foreign.add(uid);
            }
        }
        snapshot.filter(s -> !s.uid().equals(liveUid)).ifPresent(s -> foreign.add(s.uid()));
        for (String uid : foreign) {
            next = earliest(next, tearDown(key, namespace, name, uid, snapshot, hrs, sources));
        }
        // A uid reported on before that is neither live nor has anything left: its cluster is gone.
        for (var e : List.copyOf(sent.entrySet())) {
            Sent s = e.getValue();
            if (s.namespace().equals(namespace) && s.cluster().equals(name) && !e.getKey().equals(liveUid)
                    && !foreign.contains(e.getKey())) {
                reportRemoved(e.getKey(), s.tenant(), namespace, name, Set.of());
            }
        }
        if (tc.isEmpty()) {
            return next;
        }

        // Step 2: the live cluster.
        String tenant = snapshot.filter(s -> s.uid().equals(liveUid)).map(ClusterStateSnapshot::tenant)
                .orElseGet(() -> Names.tenantOf(namespace));
        ClusterView view = ClusterView.of(catalog, tenant, tc.get(), hrs);
        if (view.controlPlaneReady()) {
            List<GenericKubernetesResource> existing = concat(hrs, sources);
            for (DesiredAddon addon : view.desired()) {
                // The source first: a release whose source does not exist yet fails its first attempt for nothing.
                for (GenericKubernetesResource desired : addon.objects()) {
                    if (blocked(existing, desired)) {
                        // The namesake of an earlier cluster (or one being removed) goes first; never adopt it.
                        next = earliest(next, Optional.of(TEARING_DOWN));
                    } else if (!upToDate(existing, desired)) {
                        releases.apply(desired);
                    }
                }
            }
            for (GenericKubernetesResource release : view.stale()) {
                removeSwitchedOff(release, sources);
            }
            // A source left without its release (its deletion failed after the release's) goes too.
            Set<String> enabled = view.desired().stream().map(DesiredAddon::name).collect(Collectors.toSet());
            Set<String> withRelease = hrs.stream().map(r -> label(r, Labels.ADDON)).collect(Collectors.toSet());
            sources.stream().filter(o -> liveUid.equals(label(o, Labels.CLUSTER_UID)) && o.getMetadata().getDeletionTimestamp() == null
                            && !enabled.contains(label(o, Labels.ADDON)) && !withRelease.contains(label(o, Labels.ADDON)))
                    .forEach(releases::delete);
        }
        report(liveUid, tenant, namespace, name, view.generation(), view.states());
        boolean settled = view.states().stream()
                .allMatch(a -> a.state() == AddonState.State.Installed || a.state() == AddonState.State.Removed);
        return earliest(next, settled || !view.controlPlaneReady() ? Optional.empty() : Optional.of(IN_MOTION));
    }

    /** Deletes the release of an add-on switched off (unsuspended: Flux uninstalls it from the tenant) and its source. */
    private void removeSwitchedOff(GenericKubernetesResource release, List<GenericKubernetesResource> sources) {
        String addon = label(release, Labels.ADDON);
        if (release.getMetadata().getDeletionTimestamp() == null) {
            LOG.info("Removing add-on {}: switched off", addon);
            releases.delete(release);
        } else {
            stripPastDeadline(release);
        }
        sources.stream().filter(s -> addon.equals(label(s, Labels.ADDON))
                        && release.getMetadata().getLabels().get(Labels.CLUSTER_UID).equals(label(s, Labels.CLUSTER_UID)))
                .forEach(s -> {
                    if (s.getMetadata().getDeletionTimestamp() == null) {
                        releases.delete(s);
                    } else {
                        stripPastDeadline(s);
                    }
                });
    }

    /**
     * Tears down what a gone or deleting cluster uid left: suspend every release (Flux then lets it go without
     * reaching into a tenant that may be unreachable), delete releases and sources, and past the deadline strip
     * Flux's finalizer; once nothing is left, report every add-on removed.
     */
    private Optional<Duration> tearDown(String key, String namespace, String name, String uid,
            Optional<ClusterStateSnapshot> snapshot, List<GenericKubernetesResource> hrs,
            List<GenericKubernetesResource> sources) {
        List<GenericKubernetesResource> releasesOfUid = hrs.stream().filter(o -> uid.equals(label(o, Labels.CLUSTER_UID))).toList();
        List<GenericKubernetesResource> sourcesOfUid = sources.stream().filter(o -> uid.equals(label(o, Labels.CLUSTER_UID))).toList();
        GenericKubernetesResource probe = releasesOfUid.isEmpty()
                ? (sourcesOfUid.isEmpty() ? null : sourcesOfUid.get(0)) : releasesOfUid.get(0);
        if (probe != null && !goneOrDeleting.test(key, probe)) {
            // The API still has that cluster alive: a stale observation, never a reason to destroy.
            return Optional.of(TEARING_DOWN);
        }
        Set<String> names = new TreeSet<>();
        for (GenericKubernetesResource release : releasesOfUid) {
            names.add(label(release, Labels.ADDON));
            if (release.getMetadata().getDeletionTimestamp() == null) {
                if (!Boolean.TRUE.equals(spec(release).get("suspend"))) {
                    releases.suspend(release);
                }
                LOG.info("Cluster uid {} is gone or deleting: deleting HelmRelease {}", uid, release.getMetadata().getName());
                releases.delete(release);
            } else {
                stripPastDeadline(release);
            }
        }
        for (GenericKubernetesResource source : sourcesOfUid) {
            if (source.getMetadata().getDeletionTimestamp() == null) {
                releases.delete(source);
            } else {
                stripPastDeadline(source);
            }
        }
        if (!releasesOfUid.isEmpty() || !sourcesOfUid.isEmpty()) {
            return Optional.of(TEARING_DOWN);
        }
        Sent previous = sent.get(uid);
        String tenant = snapshot.filter(s -> s.uid().equals(uid)).map(ClusterStateSnapshot::tenant)
                .orElse(previous != null ? previous.tenant() : Names.tenantOf(namespace));
        reportRemoved(uid, tenant, namespace, name, names);
        return Optional.empty();
    }

    private void stripPastDeadline(GenericKubernetesResource object) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        if (finalizers == null || finalizers.isEmpty()) {
            return;
        }
        Instant deleted = OffsetDateTime.parse(object.getMetadata().getDeletionTimestamp()).toInstant();
        if (clock.instant().isAfter(deleted.plus(deletionDeadline))) {
            LOG.warn("{} {} still has finalizers {} {} after its deletion: removing them so the teardown ends",
                    object.getKind(), object.getMetadata().getName(), finalizers, deletionDeadline);
            releases.releaseFinalizers(object);
        }
    }

    /** Reports every add-on of a gone cluster uid removed, once. */
    private void reportRemoved(String uid, String tenant, String namespace, String name, Set<String> names) {
        Sent previous = sent.remove(uid);
        if (!removedReported.add(uid)) {
            return;
        }
        List<AddonState> removed = AddonStates.allRemoved(previous == null ? null : previous.states(), names);
        reports.send(EventTypes.ADDON_REMOVED, new AddonStateReport(uid, tenant, namespace, name,
                previous == null ? 0 : previous.generation(), removed));
        LOG.info("Every add-on of cluster uid {} is removed", uid);
    }

    private void report(String uid, String tenant, String namespace, String name, long generation,
            List<AddonState> states) {
        Sent previous = sent.get(uid);
        Instant now = clock.instant();
        if (previous != null && previous.states().equals(states) && now.isBefore(previous.at().plus(resync))) {
            return;
        }
        String type = AddonStates.eventType(previous == null ? null : previous.states(), states);
        sent.put(uid, new Sent(tenant, namespace, name, generation, states, now));
        reports.send(type, new AddonStateReport(uid, tenant, namespace, name, generation, states))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        // Forget it, so the next reconcile sends the view again.
                        sent.remove(uid);
                        LOG.warn("A state report of cluster uid {} was not acknowledged: {}", uid, failure.toString());
                    }
                });
        if (previous == null || !previous.states().equals(states)) {
            LOG.info("Add-ons: {}", states.stream().map(a -> a.name() + "=" + a.state()).collect(Collectors.joining(", ")));
        }
    }

    /** Whether an object of that kind and name exists that is terminating or belongs to another cluster uid. */
    private static boolean blocked(List<GenericKubernetesResource> existing, GenericKubernetesResource desired) {
        String uid = desired.getMetadata().getLabels().get(Labels.CLUSTER_UID);
        return existing.stream().anyMatch(o -> o.getKind().equals(desired.getKind())
                && o.getMetadata().getName().equals(desired.getMetadata().getName())
                && (o.getMetadata().getDeletionTimestamp() != null || !uid.equals(label(o, Labels.CLUSTER_UID))));
    }

    /**
     * Whether an observed object already carries the desired spec and labels, so the (idempotent) apply can be
     * skipped: every HelmRelease status change wakes the cluster, and most wake-ups change nothing to apply.
     */
    private static boolean upToDate(List<GenericKubernetesResource> existing, GenericKubernetesResource desired) {
        return existing.stream().anyMatch(o -> o.getKind().equals(desired.getKind())
                && o.getMetadata().getName().equals(desired.getMetadata().getName())
                && o.getMetadata().getDeletionTimestamp() == null
                && o.getMetadata().getLabels() != null
                && o.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
                && JSON.valueToTree(o.getAdditionalProperties().get("spec"))
                        .equals(JSON.valueToTree(desired.getAdditionalProperties().get("spec"))));
    }

    private static List<GenericKubernetesResource> concat(List<GenericKubernetesResource> a,
            List<GenericKubernetesResource> b) {
        List<GenericKubernetesResource> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        Object spec = object.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}

package dev.nestor.cluster.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.apply.Tenant;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.config.ClusterServiceConfig;
import dev.nestor.cluster.lifecycle.ControlPlaneFacts;
import dev.nestor.cluster.lifecycle.GroupFacts;
import dev.nestor.cluster.lifecycle.LifecycleDerivation;
import dev.nestor.cluster.lifecycle.LifecycleInput;
import dev.nestor.cluster.lifecycle.LifecycleState;
import dev.nestor.cluster.lifecycle.Transitions;
import dev.nestor.cluster.messaging.SatelliteReports;
import dev.nestor.cluster.model.Conditions;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Phase;
import dev.nestor.cluster.model.ResolvedVersion;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.model.TenantClusterStatus;
import dev.nestor.cluster.render.ClusterRenderer;
import dev.nestor.cluster.render.Desired;
import dev.nestor.cluster.render.Names;
import dev.nestor.cluster.render.RenderInput;
import dev.nestor.cluster.validate.SpecDefaults;
import dev.nestor.cluster.validate.SpecValidator;
import dev.nestor.cluster.validate.VersionContext;
import dev.nestor.cluster.validate.Violation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The level-triggered loop of a TenantCluster: validate, resolve, render and apply, observe,
 * derive, record transitions in the outbox, write status, publish. Every step is idempotent and
 * nothing depends on which event woke the loop.
 */
@ControllerConfiguration(name = "tenantcluster", finalizerName = TenantClusterReconciler.FINALIZER,
        generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class TenantClusterReconciler implements Reconciler<TenantCluster>, Cleaner<TenantCluster> {
    private static final Logger LOG = Logger.getLogger(TenantClusterReconciler.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Keeps a TenantCluster until its deletion (DESIGN §4) is complete. */
    public static final String FINALIZER = "nestor.dev/cleanup";

    @Inject
    ClusterApi api;
    @Inject
    ClusterServiceConfig config;
    @Inject
    dev.nestor.cluster.messaging.EventPublisher publisher;
    @Inject
    Clock clock;
    @Inject
    SatelliteReports reports;
    @Inject
    ClusterMetrics metrics;

    Catalog catalog;
    SpecValidator validator;
    final SimpleInboundEventSource<TenantCluster> wakeups = new SimpleInboundEventSource<>("acknowledgements");

    @PostConstruct
    void init() {
        catalog = Catalog.from(config);
        validator = new SpecValidator(catalog);
        publisher.onAcknowledged(key -> {
            int slash = key.indexOf('/');
            wake(key.substring(0, slash), key.substring(slash + 1));
        });
    }

    /**
     * Enqueues a reconcile of the TenantCluster {@code namespace/name}. Never blocks; before the
     * controller has started it does nothing, as every cluster is reconciled at start anyway.
     */
    public void wake(String namespace, String name) {
        wakeups.propagateEvent(new ResourceID(name, namespace));
    }

    @Override
    public List<EventSource<?, TenantCluster>> prepareEventSources(EventSourceContext<TenantCluster> context) {
        List<EventSource<?, TenantCluster>> sources = new ArrayList<>(Observed.eventSources(context));
        sources.add(wakeups);
        return sources;
    }

    @Override
    public UpdateControl<TenantCluster> reconcile(TenantCluster tc, Context<TenantCluster> context) {
        Tenant owner = api.tenant(tc.getMetadata().getNamespace());
        if (owner == null) {
            LOG.debugf("ignoring %s/%s: its namespace is not a tenant namespace",
                    tc.getMetadata().getNamespace(), tc.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
        String tenant = owner.name();
        try (var ignored = logContext(tc)) {
            Instant now = clock.instant();
            TenantClusterStatus status = copyStatus(tc);
            TenantClusterSpec spec = SpecDefaults.apply(copySpec(tc.getSpec()));
            ControlPlaneFacts cp = observeControlPlane(tc, context);
            Long previouslyAccepted = status.acceptedGeneration;
            // The same policy REST enforced: a change of the namespace's allow-lists shows at the next resync.
            List<Violation> violations = validator.validate(tc.getMetadata().getName(),
                    catalog.policyFor(tenant, owner.annotations()), spec,
                    versionContext(status, cp, tc, context));
            boolean accepted = violations.isEmpty();
            if (accepted) {
                ResolvedVersion resolved = resolve(spec, status.resolved);
                String rejection = tryApply(tc, spec, resolved, workers(status, resolved, cp), context);
                if (rejection == null) {
                    status.resolved = resolved;
                    status.acceptedSpec = spec;
                    status.acceptedGeneration = tc.getMetadata().getGeneration();
                } else {
                    accepted = false;
                    violations = List.of(new Violation("spec", "rejected-by-api-server", rejection));
                }
            }
            if (!accepted && status.acceptedSpec != null) {
                // DESIGN §4: the last accepted spec keeps being rendered while a newer one is refused.
                String rejection = tryApply(tc, status.acceptedSpec, status.resolved,
                        workers(status, status.resolved, cp), context);
                if (rejection != null) {
                    LOG.warnf("the last accepted spec is refused too: %s", rejection);
                }
            }
            status.workers = status.resolved == null ? null : workers(status, status.resolved, cp);
            TenantClusterSpec effective = status.acceptedSpec != null ? status.acceptedSpec : spec;
            LifecycleState state = LifecycleDerivation.derive(new LifecycleInput(generation(tc),
                    provisioningSince(tc, status), null, status.milestone, accepted,
                    status.acceptedGeneration != null, describe(violations), cp, observeGroups(tc, effective, context),
                    config.lifecycle().requireAddons(), autoscaled(effective), reports.facts(tc.getMetadata().getUid()),
                    status.conditions == null ? List.of() : status.conditions,
                    status.nodeGroups == null ? List.of() : status.nodeGroups, now, config.lifecycle().timings()));
            if (Outbox.pending(status).size() >= Outbox.MAX_PENDING) {
                // Kafka has been away for long: record nothing more until the outbox drains; the
                // next transitions are derived again from the objects then, so nothing is lost.
                LOG.warnf("outbox full (%d events unacknowledged): transitions wait for Kafka", Outbox.MAX_PENDING);
                return UpdateControl.<TenantCluster>noUpdate().rescheduleAfter(WAIT);
            }
            if (accepted && previouslyAccepted != null && !previouslyAccepted.equals(status.acceptedGeneration)) {
                Outbox.record(status, tc, tenant, new Transitions.Emit(dev.nestor.events.EventTypes.CLUSTER_UPDATED,
                        state.phase(), null), status.phase, "SpecChanged", "generation " + status.acceptedGeneration
                        + " accepted", OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            }
            record(tc, tenant, status, state, now);
            fill(status, state, tc, cp);
            TenantCluster written = writeStatus(tc, status);
            metrics.observed(tc.getMetadata().getUid(), status.phase);
            publish(written, tenant, now);
            return reschedule(UpdateControl.noUpdate(), settled(state), status, tc, now);
        }
    }

    /** Ready with nothing left to converge; a debounced resize (Ready, workers short) is not settled. */
    private static boolean settled(LifecycleState state) {
        return state.phase() == Phase.Ready && state.conditions().stream()
                .noneMatch(c -> Conditions.WORKERS_READY.equals(c.getType()) && Conditions.FALSE.equals(c.getStatus()));
    }

    private static boolean autoscaled(TenantClusterSpec spec) {
        return spec.nodeGroups != null && spec.nodeGroups.stream().anyMatch(g -> g != null && g.autoscaled());
    }

    /** What a version change is checked against: the accepted version and what the control plane runs. */
    private VersionContext versionContext(TenantClusterStatus status, ControlPlaneFacts cp, TenantCluster tc,
            Context<TenantCluster> context) {
        if (status.acceptedSpec == null) {
            return VersionContext.NEW;
        }
        boolean groupsDone = observeGroups(tc, status.acceptedSpec, context).stream()
                .allMatch(g -> g.exists() && g.current() && !g.rollingOut());
        boolean workersFollowed = status.workers == null || status.resolved == null
                || status.workers.version.equals(status.resolved.version);
        return new VersionContext(status.acceptedSpec.version, cp.version(),
                !cp.upgrading() && groupsDone && workersFollowed);
    }

    /** Applies the rendering of a spec; returns why the API server refused it, or null. Transient errors throw. */
    private String tryApply(TenantCluster tc, TenantClusterSpec spec, ResolvedVersion controlPlane, ResolvedVersion workers,
            Context<TenantCluster> context) {
        try {
            applyDesired(tc, spec, controlPlane, workers, context);
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 409 && e.getCode() != 429) {
                return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            }
            throw e;
        }
    }

    /**
     * The workers follow the control plane's observed version (DESIGN §4): the target version and
     * image once the control plane runs it, the previous ones until then.
     */
    static ResolvedVersion workers(TenantClusterStatus status, ResolvedVersion target, ControlPlaneFacts cp) {
        if (status.workers == null || target.version.equals(cp.version())) {
            return target;
        }
        return status.workers;
    }

    /** Provisioning runs from creation, or from when a refused first spec was finally accepted. */
    private static Instant provisioningSince(TenantCluster tc, TenantClusterStatus status) {
        Instant created = Instant.parse(tc.getMetadata().getCreationTimestamp());
        if (status.conditions == null) {
            return created;
        }
        return status.conditions.stream()
                .filter(c -> dev.nestor.cluster.model.Conditions.SPEC_ACCEPTED.equals(c.getType())
                        && "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(c -> Instant.parse(c.getLastTransitionTime())).filter(t -> t.isAfter(created)).findFirst()
                .orElse(created);
    }

    @Override
    public DeleteControl cleanup(TenantCluster tc, Context<TenantCluster> context) {
        Tenant owner = api.tenant(tc.getMetadata().getNamespace());
        if (owner == null) {
            return DeleteControl.defaultDelete(); // not a tenant namespace: nothing of ours to clean up
        }
        try (var ignored = logContext(tc)) {
            DeleteControl control = new Deletion(api, publisher, clock, config.lifecycle().deletionStepDeadline())
                    .step(tc, owner.name());
            if (control.isRemoveFinalizer()) {
                reports.forget(tc.getMetadata().getUid());
                metrics.forget(tc.getMetadata().getUid());
            } else {
                metrics.observed(tc.getMetadata().getUid(), Phase.Deleting.name());
            }
            return control;
        }
    }

    ResolvedVersion resolve(TenantClusterSpec spec, ResolvedVersion current) {
        if (current != null && spec.version.equals(current.requested)) {
            return current;
        }
        Catalog.Version entry = catalog.versionOf(spec.version).orElseThrow();
        return new ResolvedVersion(spec.version, entry.patch(), entry.image());
    }

    private void applyDesired(TenantCluster tc, TenantClusterSpec spec, ResolvedVersion controlPlane,
            ResolvedVersion workers, Context<TenantCluster> context) {
        Desired desired = ClusterRenderer.render(new RenderInput(tc.getMetadata().getNamespace(),
                tc.getMetadata().getName(), spec, controlPlane.version, workers.version, workers.image, catalog,
                Observed.liveTemplates(context)));
        api.apply(desired);
        if (Observed.machineDeploymentsSettled(context)) {
            // Only when CAPI has observed every MachineDeployment: a MachineSet it is about to create
            // for a newer template may not be in the cache yet, and its template must not go.
            api.prune(tc.getMetadata().getNamespace(), tc.getMetadata().getName(), desired);
        }
    }

    private static ControlPlaneFacts observeControlPlane(TenantCluster tc, Context<TenantCluster> context) {
        return ControlPlaneFacts.of(Observed.named(context, Observed.CONTROL_PLANES,
                Names.controlPlane(tc.getMetadata().getName())).orElse(null));
    }

    private static List<GroupFacts> observeGroups(TenantCluster tc, TenantClusterSpec spec, Context<TenantCluster> context) {
        List<GroupFacts> groups = new ArrayList<>();
        for (NodeGroup g : spec.nodeGroups) {
            if (g == null || g.name == null) {
                continue;
            }
            groups.add(GroupFacts.of(g.name, Observed.named(context, Observed.MACHINE_DEPLOYMENTS,
                    Names.machineDeployment(tc.getMetadata().getName(), g.name)).orElse(null)));
        }
        return groups;
    }

    /** Records the events of this change of phase in the outbox, back-filling milestones. */
    private void record(TenantCluster tc, String tenant, TenantClusterStatus status, LifecycleState state, Instant now) {
        Phase previous = status.phase == null ? null : Phase.valueOf(status.phase);
        String previousName = status.phase;
        for (Transitions.Emit emit : Transitions.between(status.milestone, previous, state.phase())) {
            boolean last = emit.phase() == state.phase();
            Outbox.record(status, tc, tenant, emit, previousName, last ? state.reason() : null,
                    last ? state.message() : null, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            previousName = emit.phase().name();
        }
    }

    private void fill(TenantClusterStatus status, LifecycleState state, TenantCluster tc, ControlPlaneFacts cp) {
        status.phase = state.phase().name();
        status.reason = state.reason();
        status.message = state.message();
        status.conditions = state.conditions();
        status.observedGeneration = generation(tc);
        status.nodeGroups = state.nodeGroups();
        if (state.addons() != null) {
            status.addons = state.addons();
        }
        status.readyNodes = state.readyNodes();
        status.desiredNodes = state.desiredNodes();
        status.nodes = state.readyNodes() + "/" + state.desiredNodes();
        status.endpoint = cp.endpoint();
        status.version = cp.version();
        status.kubeconfigSecretName = cp.available() ? Names.adminKubeconfigSecret(tc.getMetadata().getName()) : null;
        Outbox.trim(status, publisher.acknowledgedSequence(tc.getMetadata().getUid()));
    }

    /** Writes status only when it changed, with the object's resourceVersion as precondition. */
    private TenantCluster writeStatus(TenantCluster tc, TenantClusterStatus status) {
        if (JSON.valueToTree(status).equals(JSON.valueToTree(tc.getStatus() == null ? new TenantClusterStatus() : tc.getStatus()))) {
            return tc;
        }
        return api.writeStatus(tc, status);
    }

    private void publish(TenantCluster tc, String tenant, Instant now) {
        var pending = Outbox.pending(tc.getStatus());
        if (!pending.isEmpty()) {
            publisher.publishLifecycle(Outbox.rebuild(pending.get(0), tc, tenant));
        }
        publisher.publishSnapshot(Snapshots.of(tc, tenant, now));
    }

    private <T extends io.javaoperatorsdk.operator.api.reconciler.BaseControl<T>> T reschedule(T control, boolean settled,
            TenantClusterStatus status, TenantCluster tc, Instant now) {
        if (!Outbox.pending(status).isEmpty() && !publisher.inFlight(tc.getMetadata().getUid())) {
            return control.rescheduleAfter(Duration.ofSeconds(5));
        }
        if (!settled) {
            // Not Ready, or Ready while a debounced resize converges: look again (deadlines, debounce).
            Instant deadline = Instant.parse(tc.getMetadata().getCreationTimestamp())
                    .plus(config.lifecycle().provisioningDeadline());
            Duration untilDeadline = Duration.between(now, deadline);
            return control.rescheduleAfter(untilDeadline.isNegative() || untilDeadline.compareTo(WAIT) > 0
                    ? WAIT : untilDeadline.plusSeconds(1));
        }
        return control;
    }

    private static String describe(List<Violation> violations) {
        return violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "));
    }

    static long generation(TenantCluster tc) {
        return tc.getMetadata().getGeneration() == null ? 1 : tc.getMetadata().getGeneration();
    }

    static TenantClusterStatus copyStatus(TenantCluster tc) {
        return tc.getStatus() == null ? new TenantClusterStatus() : JSON.convertValue(tc.getStatus(), TenantClusterStatus.class);
    }

    static TenantClusterSpec copySpec(TenantClusterSpec spec) {
        return spec == null ? new TenantClusterSpec() : JSON.convertValue(spec, TenantClusterSpec.class);
    }

    /** Log context of one reconcile, removed on close. */
    interface LogScope extends AutoCloseable {
        @Override
        void close();
    }

    static LogScope logContext(TenantCluster tc) {
        MDC.put("kind", TenantCluster.KIND);
        MDC.put("namespace", tc.getMetadata().getNamespace());
        MDC.put("name", tc.getMetadata().getName());
        MDC.put("reconcile", UUID.randomUUID().toString().substring(0, 8));
        return () -> {
            MDC.remove("kind");
            MDC.remove("namespace");
            MDC.remove("name");
            MDC.remove("reconcile");
        };
    }
}

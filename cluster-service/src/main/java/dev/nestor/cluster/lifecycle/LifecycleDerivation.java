package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.lifecycle.SatelliteConditions.ConditionValue;
import dev.nestor.cluster.model.AddonStatus;
import dev.nestor.cluster.model.NodeGroupStatus;
import dev.nestor.cluster.model.Phase;
import dev.nestor.events.payload.AddonState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.nestor.cluster.model.Conditions.*;

/**
 * The phase and conditions of a cluster as a pure function of what was observed (DESIGN §5.1),
 * with precedence {@code Deleting > Failed > Upgrading > Degraded > Scaling > Ready >
 * ControlPlaneReady > Provisioning > Pending}.
 */
public final class LifecycleDerivation {
    static final String MILESTONE_READY = "Ready";

    private LifecycleDerivation() {
    }

    public static LifecycleState derive(LifecycleInput in) {
        var cp = in.controlPlane();
        boolean workersReady = !in.groups().isEmpty() && in.groups().stream().allMatch(GroupFacts::isReady);
        boolean wasReady = MILESTONE_READY.equals(in.milestone());
        ConditionValue addons = SatelliteConditions.addons(in);
        // Reaching Ready takes the required add-ons installed; once Ready, only a report of trouble
        // takes that away, not the lack of a report (the switch just turned on, say).
        boolean addonsOk = addons.isTrue() || (wasReady && !addons.isFalse());
        // A refused spec change is a condition, not a phase: the last accepted spec keeps running.
        boolean allReady = cp.available() && workersReady && addonsOk && in.everAccepted();

        Verdict v = phase(in, cp, workersReady, allReady, wasReady, addons);

        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(in, SPEC_ACCEPTED, in.specAccepted(), in.specAccepted() ? ACCEPTED : INVALID_SPEC,
                in.specAccepted() ? "the spec is valid" : in.specMessage()));
        conditions.add(condition(in, CONTROL_PLANE_READY, cp.available(),
                cp.available() ? CONTROL_PLANE_AVAILABLE : cp.hardError() ? CONTROL_PLANE_ERROR : WAITING_FOR_CONTROL_PLANE,
                cp.available() ? "the control plane is available" : cp.hardError() ? cp.message() : "waiting for the control plane"));
        conditions.add(condition(in, WORKERS_READY, workersReady, workersReady ? WORKERS_AVAILABLE : WAITING_FOR_WORKERS,
                workersMessage(in.groups())));
        conditions.add(condition(in, ADDONS_READY, addons));
        conditions.add(condition(in, AUTOSCALER_READY, SatelliteConditions.autoscaler(in)));
        conditions.add(condition(in, STORAGE_BRIDGE_READY, SatelliteConditions.storageBridge(in)));
        conditions.add(condition(in, LOAD_BALANCER_BRIDGE_READY, SatelliteConditions.loadBalancerBridge(in)));
        conditions.add(condition(in, READY, v.phase == Phase.Ready, v.phase == Phase.Ready ? READY_REASON : v.reason,
                v.phase == Phase.Ready ? "the cluster is ready" : v.message));

        List<NodeGroupStatus> groups = new ArrayList<>();
        int ready = 0;
        int desired = 0;
        for (GroupFacts g : in.groups()) {
            groups.add(new NodeGroupStatus(g.name(), g.desired(), g.ready(), g.upToDate()));
            ready += g.ready();
            desired += g.desired();
        }
        return new LifecycleState(v.phase, v.reason, v.message, conditions, groups, ready, desired,
                addonStatuses(in.satellites().addons()));
    }

    private record Verdict(Phase phase, String reason, String message) {
    }

    private static Verdict phase(LifecycleInput in, ControlPlaneFacts cp, boolean workersReady, boolean allReady,
            boolean wasReady, ConditionValue addons) {
        if (in.deletionRequested() != null) {
            return new Verdict(Phase.Deleting, DELETING, "the cluster is being deleted");
        }
        if (!in.specAccepted() && !in.everAccepted()) {
            return new Verdict(Phase.Failed, INVALID_SPEC, in.specMessage());
        }
        if (cp.hardError()) {
            return new Verdict(Phase.Failed, CONTROL_PLANE_ERROR, cp.message());
        }
        if (!wasReady && !allReady && in.now().isAfter(in.provisioningSince().plus(in.timings().provisioning()))) {
            return new Verdict(Phase.Failed, PROVISIONING_TIMEOUT, "not ready "
                    + in.timings().provisioning().toMinutes() + " minutes after creation: "
                    + (!cp.available() ? "the control plane is not available"
                    : workersReady ? "add-ons: " + addons.message() : workersMessage(in.groups())));
        }
        if (wasReady && cp.upgrading()) {
            return new Verdict(Phase.Upgrading, "ControlPlaneUpgrading",
                    "the control plane moves from " + cp.version() + " to " + cp.specVersion());
        }
        boolean upgrading = in.groups().stream().anyMatch(GroupFacts::rollingOut);
        if (wasReady && upgrading) {
            long upToDate = in.groups().stream().filter(g -> !g.rollingOut()).count();
            return new Verdict(Phase.Upgrading, "RollingOut", "worker machines are being replaced; node groups up to date "
                    + upToDate + "/" + in.groups().size());
        }
        if (wasReady && !cp.available()) {
            return new Verdict(Phase.Degraded, DEGRADED, "the control plane is not available");
        }
        if (wasReady && addons.isFalse()) {
            return new Verdict(Phase.Degraded, addons.reason(), addons.message());
        }
        List<GroupFacts> scaling = in.groups().stream().filter(GroupFacts::isScaling).toList();
        if (wasReady && !scaling.isEmpty()) {
            Instant since = falseSince(in, WORKERS_READY);
            if (in.now().isAfter(since.plus(in.timings().scaling()))) {
                return new Verdict(Phase.Degraded, SCALING_STALLED, "node groups have not converged in "
                        + in.timings().scaling().toMinutes() + " minutes: " + workersMessage(in.groups()));
            }
            if (scaling.stream().allMatch(GroupFacts::autoscaled)
                    && in.now().isBefore(since.plus(in.timings().autoscalerDebounce()))) {
                return new Verdict(Phase.Ready, READY_REASON, "the cluster is ready; the autoscaler is resizing "
                        + workersMessage(scaling));
            }
            return new Verdict(Phase.Scaling, SCALING, workersMessage(in.groups()));
        }
        if (wasReady && !workersReady) {
            return new Verdict(Phase.Degraded, DEGRADED, workersMessage(in.groups()));
        }
        if (allReady) {
            return new Verdict(Phase.Ready, READY_REASON, "the cluster is ready");
        }
        if (cp.available() && workersReady && in.everAccepted()) {
            return new Verdict(Phase.ControlPlaneReady, addons.reason(), "waiting for the required add-ons: " + addons.message());
        }
        if (cp.available()) {
            return new Verdict(Phase.ControlPlaneReady, WAITING_FOR_WORKERS, workersMessage(in.groups()));
        }
        if (cp.exists()) {
            return new Verdict(Phase.Provisioning, WAITING_FOR_CONTROL_PLANE, "the control plane is being provisioned");
        }
        return new Verdict(Phase.Pending, "Pending", "waiting for the control plane to be created");
    }

    /** When a condition last became False: its persisted transition time, or now when it is only turning False. */
    private static Instant falseSince(LifecycleInput in, String type) {
        for (Condition previous : in.previousConditions()) {
            if (type.equals(previous.getType()) && FALSE.equals(previous.getStatus())
                    && previous.getLastTransitionTime() != null) {
                return Instant.parse(previous.getLastTransitionTime());
            }
        }
        return in.now();
    }

    private static String workersMessage(List<GroupFacts> groups) {
        List<String> parts = new ArrayList<>();
        for (GroupFacts g : groups) {
            parts.add(g.name() + " " + g.ready() + "/" + g.desired() + " ready");
        }
        return parts.isEmpty() ? "no node groups" : String.join(", ", parts);
    }

    private static List<AddonStatus> addonStatuses(List<AddonState> reported) {
        if (reported == null) {
            return null;
        }
        List<AddonStatus> addons = new ArrayList<>();
        for (AddonState a : reported) {
            AddonStatus status = new AddonStatus();
            status.name = a.name();
            status.state = a.state().name();
            status.version = a.version();
            status.message = a.message();
            addons.add(status);
        }
        return addons;
    }

    private static Condition condition(LifecycleInput in, String type, ConditionValue value) {
        return condition(in, type, value.status(), value.reason(), value.message());
    }

    static Condition condition(LifecycleInput in, String type, boolean status, String reason, String message) {
        return condition(in, type, status ? TRUE : FALSE, reason, message);
    }

    /** A condition whose lastTransitionTime moves only when its status changes. */
    static Condition condition(LifecycleInput in, String type, String s, String reason, String message) {
        String since = DateTimeFormatter.ISO_INSTANT.format(in.now().truncatedTo(ChronoUnit.SECONDS));
        for (Condition previous : in.previousConditions()) {
            if (type.equals(previous.getType()) && s.equals(previous.getStatus()) && previous.getLastTransitionTime() != null) {
                since = previous.getLastTransitionTime();
            }
        }
        return new ConditionBuilder().withType(type).withStatus(s).withReason(reason)
                .withMessage(message == null ? "" : message).withObservedGeneration(in.generation())
                .withLastTransitionTime(since).build();
    }
}

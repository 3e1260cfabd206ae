package dev.nestor.cluster.lifecycle;

import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.List;

/**
 * Everything the phase of a cluster depends on, already observed. Times come from persisted
 * fields (creation, deletion, previous conditions) and {@code now} is passed in, never read.
 *
 * @param provisioningSince when the current provisioning started: creation, or when a refused
 *                          first spec was finally accepted (the persisted SpecAccepted transition)
 * @param milestone         the last milestone already recorded (null before {@code requested})
 * @param specAccepted      whether the current generation passed validation
 * @param everAccepted      whether any generation was accepted (objects exist to observe)
 * @param specMessage       why the spec was refused, when it was
 * @param addonsRequired    whether Ready waits for add-ons
 * @param autoscaled        whether any node group of the accepted spec autoscales
 * @param satellites        the satellites' latest reports about this cluster's uid
 * @param timings           deadlines and debounce
 */
public record LifecycleInput(long generation, Instant provisioningSince, Instant deletionRequested, String milestone,
        boolean specAccepted, boolean everAccepted, String specMessage, ControlPlaneFacts controlPlane,
        List<GroupFacts> groups, boolean addonsRequired, boolean autoscaled, SatelliteFacts satellites,
        List<Condition> previousConditions, Instant now, LifecycleTimings timings) {
}

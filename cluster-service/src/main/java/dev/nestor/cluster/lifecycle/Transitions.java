package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.model.Phase;
import dev.nestor.events.EventTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * Which lifecycle events a change of phase emits (DESIGN §5.2). The milestones
 * {@code requested → provisioning → control-plane-ready → ready} are emitted once each, in order,
 * skipped ones first; the other phases emit their event each time they are entered, and a return
 * to Ready from one of them emits {@code ready} again.
 */
public final class Transitions {
    /** Milestones in order; the value recorded in {@code status.milestone}. */
    public static final List<String> MILESTONES = List.of("Requested", "Provisioning", "ControlPlaneReady", "Ready");

    private Transitions() {
    }

    /** One event to record: its type and the milestone reached with it (null when none). */
    public record Emit(String type, Phase phase, String milestone) {
    }

    /**
     * @param milestone     the last milestone recorded (null: nothing recorded yet)
     * @param previousPhase the phase last recorded (null on first observation)
     * @param phase         the phase just derived
     */
    public static List<Emit> between(String milestone, Phase previousPhase, Phase phase) {
        List<Emit> out = new ArrayList<>();
        int recorded = milestone == null ? -1 : MILESTONES.indexOf(milestone);
        if (recorded < 0) {
            out.add(new Emit(EventTypes.CLUSTER_REQUESTED, Phase.Pending, MILESTONES.get(0)));
            recorded = 0;
        }
        if (phase == Phase.Deleting || phase == Phase.Deleted) {
            if (previousPhase != phase) {
                out.add(new Emit(phase == Phase.Deleting ? EventTypes.CLUSTER_DELETING : EventTypes.CLUSTER_DELETED, phase, null));
            }
            return out;
        }
        int reached = milestoneOf(phase);
        for (int m = recorded + 1; m <= reached; m++) {
            out.add(new Emit(typeOfMilestone(m), phaseOfMilestone(m), MILESTONES.get(m)));
        }
        if (phase != previousPhase) {
            switch (phase) {
                case Scaling -> out.add(new Emit(EventTypes.CLUSTER_SCALING, phase, null));
                case Upgrading -> out.add(new Emit(EventTypes.CLUSTER_UPGRADING, phase, null));
                case Degraded -> out.add(new Emit(EventTypes.CLUSTER_DEGRADED, phase, null));
                case Failed -> out.add(new Emit(EventTypes.CLUSTER_FAILED, phase, null));
                case Ready -> {
                    if (recorded == MILESTONES.size() - 1 && previousPhase != null) {
                        out.add(new Emit(EventTypes.CLUSTER_READY, phase, null));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** The milestone a phase implies: Scaling, Upgrading and Degraded only follow Ready. */
    static int milestoneOf(Phase phase) {
        return switch (phase) {
            case Pending, Failed -> 0;
            case Provisioning -> 1;
            case ControlPlaneReady -> 2;
            case Ready, Scaling, Upgrading, Degraded -> 3;
            default -> 0;
        };
    }

    private static String typeOfMilestone(int m) {
        return switch (m) {
            case 1 -> EventTypes.CLUSTER_PROVISIONING;
            case 2 -> EventTypes.CLUSTER_CONTROL_PLANE_READY;
            default -> EventTypes.CLUSTER_READY;
        };
    }

    private static Phase phaseOfMilestone(int m) {
        return switch (m) {
            case 1 -> Phase.Provisioning;
            case 2 -> Phase.ControlPlaneReady;
            default -> Phase.Ready;
        };
    }
}

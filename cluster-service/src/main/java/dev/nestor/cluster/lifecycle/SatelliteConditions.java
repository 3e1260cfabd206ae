package dev.nestor.cluster.lifecycle;

import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.BridgeComponentState;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.stream.Collectors;

import static dev.nestor.cluster.model.Conditions.*;

/**
 * The conditions the satellites' state reports decide (DESIGN §2.1): {@code AddonsReady},
 * {@code AutoscalerReady}, {@code StorageBridgeReady} and {@code LoadBalancerBridgeReady}, each
 * {@code Unknown} with reason {@code NoReport} until the satellite reports on the cluster's uid.
 */
final class SatelliteConditions {

    /** The status, reason and message of one condition. */
    record ConditionValue(String status, String reason, String message) {
        boolean isTrue() {
            return TRUE.equals(status);
        }

        boolean isFalse() {
            return FALSE.equals(status);
        }
    }

    private SatelliteConditions() {
    }

    /** True once every required add-on is Installed; False naming the failed or awaited ones. */
    static ConditionValue addons(LifecycleInput in) {
        if (!in.addonsRequired()) {
            return new ConditionValue(TRUE, NOT_REQUIRED, "Ready does not wait for add-ons");
        }
        List<AddonState> addons = in.satellites().addons();
        if (addons == null) {
            return noReport(in, ADDONS_READY, "addon-service has not reported on this cluster yet");
        }
        List<AddonState> required = addons.stream().filter(AddonState::required).toList();
        List<AddonState> failed = withState(required, AddonState.State.Failed);
        if (!failed.isEmpty()) {
            return new ConditionValue(FALSE, ADDON_FAILED, describe(failed));
        }
        List<AddonState> waiting = required.stream().filter(a -> a.state() != AddonState.State.Installed).toList();
        if (!waiting.isEmpty()) {
            return new ConditionValue(FALSE, WAITING_FOR_ADDONS, "waiting for " + describe(waiting));
        }
        // An optional add-on does not hold Ready back, but its failure should not go unnoticed.
        List<AddonState> optionalFailed = withState(addons.stream().filter(a -> !a.required()).toList(),
                AddonState.State.Failed);
        return new ConditionValue(TRUE, ADDONS_INSTALLED, "the required add-ons are installed"
                + (optionalFailed.isEmpty() ? "" : "; optional add-ons failed: " + describe(optionalFailed)));
    }

    /** True/NotRequired when nothing autoscales; otherwise what autoscaler-bridge reports. */
    static ConditionValue autoscaler(LifecycleInput in) {
        if (!in.autoscaled()) {
            return new ConditionValue(TRUE, NOT_REQUIRED, "no node group autoscales");
        }
        var state = in.satellites().autoscaler();
        if (state == null) {
            return noReport(in, AUTOSCALER_READY, "autoscaler-bridge has not reported on this cluster yet");
        }
        String said = in.satellites().autoscalerMessage();
        return switch (state) {
            case Configured -> new ConditionValue(TRUE, AUTOSCALER_CONFIGURED,
                    orElse(said, "the cluster-autoscaler is configured"));
            case Failed -> new ConditionValue(FALSE, AUTOSCALER_FAILED, orElse(said, "the cluster-autoscaler failed"));
            // autoscaler-bridge has not yet seen the autoscaled groups (it reads the MachineDeployments).
            case Removed, NotRequired -> new ConditionValue(FALSE, WAITING_FOR_AUTOSCALER,
                    "autoscaler-bridge reports " + state + (blank(said) ? "" : ": " + said));
        };
    }

    static ConditionValue storageBridge(LifecycleInput in) {
        return bridge(in, STORAGE_BRIDGE_READY, in.satellites().storage(), "tenant volumes are served");
    }

    static ConditionValue loadBalancerBridge(LifecycleInput in) {
        return bridge(in, LOAD_BALANCER_BRIDGE_READY, in.satellites().loadBalancers(),
                "tenant load balancers are served");
    }

    private static ConditionValue bridge(LifecycleInput in, String type, BridgeComponentState duty, String serving) {
        if (duty == null) {
            return noReport(in, type, "csi-bridge has not reported on this cluster yet");
        }
        return switch (duty.state()) {
            case Ready -> new ConditionValue(TRUE, BRIDGE_READY, orElse(duty.message(), serving));
            case NotReady -> new ConditionValue(FALSE, BRIDGE_NOT_READY, orElse(duty.message(), "not served yet"));
            case Failed -> new ConditionValue(FALSE, BRIDGE_FAILED, orElse(duty.message(), "csi-bridge failed"));
        };
    }

    /**
     * No report is held for this uid. Reports live in memory only, so after a restart (or a new
     * leader) a condition a report once decided stands as persisted until the satellite's next
     * report, rather than flapping to Unknown; a condition no report ever decided is Unknown.
     */
    private static ConditionValue noReport(LifecycleInput in, String type, String message) {
        for (Condition previous : in.previousConditions()) {
            if (type.equals(previous.getType()) && (TRUE.equals(previous.getStatus()) || FALSE.equals(previous.getStatus()))
                    && previous.getReason() != null && !NOT_REQUIRED.equals(previous.getReason())) {
                return new ConditionValue(previous.getStatus(), previous.getReason(), previous.getMessage());
            }
        }
        return new ConditionValue(UNKNOWN, NO_REPORT, message);
    }

    private static List<AddonState> withState(List<AddonState> addons, AddonState.State state) {
        return addons.stream().filter(a -> a.state() == state).toList();
    }

    private static String describe(List<AddonState> addons) {
        return addons.stream().map(a -> a.name() + " " + a.state() + (blank(a.message()) ? "" : ": " + a.message()))
                .collect(Collectors.joining("; "));
    }

    private static String orElse(String message, String fallback) {
        return blank(message) ? fallback : message;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

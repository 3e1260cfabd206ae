package dev.nestor.addon.status;

import dev.nestor.addon.render.DesiredAddon;
import dev.nestor.events.EventTypes;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonState.State;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of each add-on of a cluster, a pure function of what the cluster asks for and what its HelmReleases say
 * (helm-controller's conditions, reference kubevirt-csi-ccm-flux-caaph.md §3.3).
 */
public final class AddonStates {

    /** Ready=False reasons that mean the release itself failed, not that it waits for something. */
    static final Set<String> FAILURE_REASONS = Set.of("InstallFailed", "UpgradeFailed", "TestFailed",
            "RollbackFailed", "UninstallFailed", "ArtifactFailed", "InitFailed", "ReconciliationFailed");
    static final String READY = "Ready";
    static final String RELEASED = "Released";
    static final String STALLED = "Stalled";

    private AddonStates() {
    }

    /**
     * Every add-on the report shows: each enabled one, each one the spec switched off, and each one whose release
     * still exists (being removed).
     *
     * @param desired           the enabled add-ons, rendered
     * @param switchedOff       add-ons the spec names with {@code enabled: false}
     * @param releases          the cluster's HelmReleases (this uid), by add-on name
     * @param controlPlaneReady whether the admin kubeconfig exists (nothing is applied before)
     */
    public static List<AddonState> derive(List<DesiredAddon> desired, Set<String> switchedOff,
            Map<String, GenericKubernetesResource> releases, boolean controlPlaneReady) {
        List<AddonState> states = new ArrayList<>();
        Set<String> shown = new java.util.HashSet<>();
        for (DesiredAddon addon : desired) {
            shown.add(addon.name());
            GenericKubernetesResource release = releases.get(addon.name());
            boolean required = addon.entry().required();
            if (release == null) {
                states.add(controlPlaneReady
                        ? new AddonState(addon.name(), State.Installing, addon.version(), "creating the HelmRelease", required)
                        : new AddonState(addon.name(), State.Pending, addon.version(),
                                "waiting for the control plane (the admin kubeconfig)", required));
            } else {
                states.add(of(addon.name(), addon.version(), ReleaseStatus.of(release), required));
            }
        }
        releases.keySet().stream().filter(name -> !shown.contains(name)).sorted().forEach(name -> {
            shown.add(name);
            ReleaseStatus status = ReleaseStatus.of(releases.get(name));
            states.add(new AddonState(name, State.Installing, status.installedVersion(),
                    "being removed from the tenant cluster", false));
        });
        switchedOff.stream().filter(name -> !shown.contains(name)).sorted()
                .forEach(name -> states.add(new AddonState(name, State.Removed, null, "disabled", false)));
        return states;
    }

    /** Every add-on of a deleted cluster, removed. */
    public static List<AddonState> allRemoved(List<AddonState> previous, Set<String> names) {
        Set<String> all = new java.util.TreeSet<>(names);
        if (previous != null) {
            previous.forEach(a -> all.add(a.name()));
        }
        return all.stream().map(n -> new AddonState(n, State.Removed, null, "the cluster is deleted", false)).toList();
    }

    /** One add-on's state from its HelmRelease. */
    static AddonState of(String name, String wanted, ReleaseStatus status, boolean required) {
        if (status.suspended()) {
            return new AddonState(name, State.Installing, wanted, "the HelmRelease is suspended", required);
        }
        if (status.isTrue(STALLED)) {
            return new AddonState(name, State.Failed, wanted, describe(status, STALLED), required);
        }
        if (status.observed() && status.isTrue(READY)) {
            String version = status.installedVersion() != null ? status.installedVersion() : wanted;
            return new AddonState(name, State.Installed, version, status.message(READY), required);
        }
        if (status.isFalse(RELEASED) && FAILURE_REASONS.contains(status.reason(RELEASED))) {
            return new AddonState(name, State.Failed, wanted, describe(status, RELEASED), required);
        }
        if (status.isFalse(READY) && FAILURE_REASONS.contains(status.reason(READY))) {
            return new AddonState(name, State.Failed, wanted, describe(status, READY), required);
        }
        if (status.condition(READY).isPresent()) {
            return new AddonState(name, State.Installing, wanted, describe(status, READY), required);
        }
        return new AddonState(name, State.Installing, wanted, "waiting for Flux to reconcile the HelmRelease", required);
    }

    private static String describe(ReleaseStatus status, String type) {
        String message = status.message(type);
        return status.reason(type) + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * The event type of a report: {@code addon.failed} when one failed, {@code addon.installing} while one is not
     * there yet, {@code addon.removed} when one became removed since the previous report (a replica that just started has none to compare), else {@code addon.installed}.
     */
    public static String eventType(List<AddonState> previous, List<AddonState> current) {
        if (current.stream().anyMatch(a -> a.state() == State.Failed)) {
            return EventTypes.ADDON_FAILED;
        }
        if (current.stream().anyMatch(a -> a.state() == State.Pending || a.state() == State.Installing)) {
            return EventTypes.ADDON_INSTALLING;
        }
        boolean newlyRemoved = current.stream().filter(a -> a.state() == State.Removed)
                .anyMatch(a -> previous != null && previous.stream()
                        .noneMatch(p -> p.name().equals(a.name()) && p.state() == State.Removed));
        return newlyRemoved ? EventTypes.ADDON_REMOVED : EventTypes.ADDON_INSTALLED;
    }
}

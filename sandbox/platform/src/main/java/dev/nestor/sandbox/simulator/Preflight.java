package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cluster API's MachineSet preflight checks (on by default), which gate every new Machine: the control plane must be
 * stable (provisioned and not upgrading) and, with kubeadm, workers must join at the control plane's minor version.
 * The annotation {@code machineset.cluster.x-k8s.io/skip-preflight-checks} on the MachineSet skips them by name or
 * {@code All}.
 */
final class Preflight {

    static final String CONTROL_PLANE_IS_STABLE = "ControlPlaneIsStable";
    static final String KUBERNETES_VERSION_SKEW = "KubernetesVersionSkew";
    static final String KUBEADM_VERSION_SKEW = "KubeadmVersionSkew";

    private Preflight() {
    }

    /** Why a MachineSet may not create Machines now, or {@code null} when it may. */
    static String blockedReason(Observed observed, GenericKubernetesResource ms) {
        String skip = Objects.requireNonNullElse(Fields.annotation(ms, Labels.SKIP_PREFLIGHT), "");
        List<String> skipped = List.of(skip.split(","));
        if (skipped.stream().anyMatch(s -> s.trim().equals("All"))) {
            return null;
        }
        GenericKubernetesResource kcp = observed.controlPlane;
        if (kcp == null) {
            return "the control plane object does not exist";
        }
        List<String> failures = new ArrayList<>();
        String running = Fields.string(kcp, "status", "version");
        String desired = KamajiSimulation.normalise(Fields.string(kcp, "spec", "version"));
        if (!skipped(skipped, CONTROL_PLANE_IS_STABLE)) {
            if (running == null || running.isEmpty()) {
                failures.add(CONTROL_PLANE_IS_STABLE + " preflight check failed: KamajiControlPlane " + Fields.name(kcp)
                        + " is provisioning");
            } else if (!running.equals(desired)) {
                failures.add(CONTROL_PLANE_IS_STABLE + " preflight check failed: KamajiControlPlane " + Fields.name(kcp)
                        + " is upgrading");
            }
        }
        String machineVersion = Fields.string(ms, "spec", "template", "spec", "version");
        if (running != null && !running.isEmpty() && machineVersion != null) {
            int cpMinor = minor(running);
            int machineMinor = minor(machineVersion);
            if (!skipped(skipped, KUBERNETES_VERSION_SKEW) && (machineMinor > cpMinor || machineMinor < cpMinor - 3)) {
                failures.add(KUBERNETES_VERSION_SKEW + " preflight check failed: the version of the MachineSet ("
                        + machineVersion + ") is not compatible with the control plane (" + running + ")");
            }
            if (!skipped(skipped, KUBEADM_VERSION_SKEW) && machineMinor != cpMinor) {
                failures.add(KUBEADM_VERSION_SKEW + " preflight check failed: kubeadm needs the MachineSet version ("
                        + machineVersion + ") at the control plane's minor (" + running + ")");
            }
        }
        return failures.isEmpty() ? null : String.join("; ", failures);
    }

    private static boolean skipped(List<String> skipped, String check) {
        return skipped.stream().anyMatch(s -> s.trim().equals(check));
    }

    /** The minor of {@code v1.MINOR[.PATCH]}. */
    static int minor(String version) {
        String[] parts = KamajiSimulation.normalise(version).substring(1).split("\\.");
        return parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
    }
}

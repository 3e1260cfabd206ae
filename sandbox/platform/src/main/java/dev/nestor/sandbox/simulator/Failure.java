package dev.nestor.sandbox.simulator;

import java.util.EnumSet;
import java.util.Set;

/**
 * A failure injected through the annotation {@value #ANNOTATION} on the TenantCluster that owns the simulated
 * objects (a comma-separated list of these values; others, such as {@code addon:<name>}, are for other parts).
 */
enum Failure {
    /** The KamajiControlPlane never becomes available: Kamaji reports a hard error. */
    CONTROL_PLANE("control-plane"),
    /** No worker VirtualMachine can be created: KubevirtMachines report {@code VMCreateFailed}. */
    WORKER_VM("worker-vm"),
    /** The tenant API server is down (its pods crashed): stopped, its kubeconfig Secrets left pointing at it. */
    TENANT_API("tenant-api");

    static final String ANNOTATION = "sandbox.nestor.dev/fail";

    private final String value;

    Failure(String value) {
        this.value = value;
    }

    static Set<Failure> parse(String annotation) {
        Set<Failure> failures = EnumSet.noneOf(Failure.class);
        if (annotation == null) {
            return failures;
        }
        for (String part : annotation.split(",")) {
            for (Failure failure : values()) {
                if (failure.value.equals(part.trim())) {
                    failures.add(failure);
                }
            }
        }
        return failures;
    }
}

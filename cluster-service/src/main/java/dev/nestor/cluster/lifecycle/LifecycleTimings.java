package dev.nestor.cluster.lifecycle;

import java.time.Duration;

/**
 * The deadlines and debounce of the lifecycle (DESIGN §5.1), all measured from persisted times.
 *
 * @param provisioning a cluster not Ready this long after creation is Failed ({@code ProvisioningTimeout})
 * @param scaling a Ready cluster whose node groups have not converged this long after its workers stopped being
 *                ready is Degraded ({@code ScalingStalled}): a MachineSet preflight block, say, keeps scaling forever
 * @param autoscalerDebounce a resize of autoscaled groups only shows as Scaling once it lasts this long, so that
 *                           the autoscaler's routine moves do not make Ready and Scaling flap
 */
public record LifecycleTimings(Duration provisioning, Duration scaling, Duration autoscalerDebounce) {
}

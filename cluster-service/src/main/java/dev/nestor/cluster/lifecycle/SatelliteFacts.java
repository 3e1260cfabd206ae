package dev.nestor.cluster.lifecycle;

import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeComponentState;
import dev.nestor.events.payload.BridgeStateReport;

import java.util.List;

/**
 * What the satellites last reported about one cluster uid (DESIGN §5.2: the latest state report per
 * source). A null part means that satellite has not reported on this uid yet.
 *
 * @param addons            every add-on as addon-service reported it
 * @param autoscaler        where the cluster-autoscaler stands, as autoscaler-bridge reported it
 * @param autoscalerMessage what autoscaler-bridge said about it, optional
 * @param storage           csi-bridge's storage duty
 * @param loadBalancers     csi-bridge's load-balancer duty
 */
public record SatelliteFacts(List<AddonState> addons, AutoscalerStateReport.State autoscaler, String autoscalerMessage,
        BridgeComponentState storage, BridgeComponentState loadBalancers) {

    /** No satellite has reported yet. */
    public static final SatelliteFacts NONE = new SatelliteFacts(null, null, null, null, null);

    public SatelliteFacts {
        addons = addons == null ? null : List.copyOf(addons);
    }

    /** The summary of the latest reports; each may be null. */
    public static SatelliteFacts of(AddonStateReport addons, AutoscalerStateReport autoscaler, BridgeStateReport bridge) {
        return new SatelliteFacts(addons == null ? null : addons.addons(),
                autoscaler == null ? null : autoscaler.state(), autoscaler == null ? null : autoscaler.message(),
                bridge == null ? null : bridge.storage(), bridge == null ? null : bridge.loadBalancers());
    }
}

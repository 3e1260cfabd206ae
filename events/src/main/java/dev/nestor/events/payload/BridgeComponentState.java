package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The state of one csi-bridge duty (storage, load balancers or nodes) for one cluster.
 *
 * @param message what went wrong or what is awaited, optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeComponentState(State state, String message) {

    /** Where the duty stands; the names are the wire values. */
    public enum State {
        /** Working: the tenant's requests are being served. */
        Ready,
        /** Not serving yet or any more, expected to recover (e.g. tenant API unreachable). */
        NotReady,
        /** A hard error that needs attention. */
        Failed
    }

    public BridgeComponentState {
        Require.present(state, "bridge component state");
    }
}

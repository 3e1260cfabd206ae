package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The state of one add-on of one cluster, as addon-service sees it.
 *
 * @param name the catalog name, e.g. {@code cilium}
 * @param version the chart version installed or being installed, optional
 * @param message what went wrong or what is awaited, optional
 * @param required whether the cluster's {@code Ready} phase waits for this add-on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddonState(String name, State state, String version, String message, boolean required) {

    /** Where the add-on stands; the names are the wire values. */
    public enum State {
        Pending,
        Installing,
        Installed,
        Failed,
        Removed
    }

    public AddonState {
        Require.text(name, "add-on name");
        Require.present(state, "add-on state");
    }
}

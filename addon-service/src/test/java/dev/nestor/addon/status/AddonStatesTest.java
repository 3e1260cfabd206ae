package dev.nestor.addon.status;

import dev.nestor.events.EventTypes;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonState.State;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** helm-controller's conditions → an add-on's state, and a report's event type, as a table. */
class AddonStatesTest {
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    static GenericKubernetesResource release(long generation, long observed, String conditions, boolean suspend) {
        return JSON.unmarshal("""
                {"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"c-a","generation":%d},
                 "spec":{"suspend":%s},"status":{"observedGeneration":%d,"conditions":[%s],
                 "history":[{"chartVersion":"1.2.3"}]}}""".formatted(generation, suspend, observed, conditions),
                GenericKubernetesResource.class);
    }

    static String condition(String type, String status, String reason) {
        return "{\"type\":\"%s\",\"status\":\"%s\",\"reason\":\"%s\",\"message\":\"m\"}".formatted(type, status, reason);
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} gen {2}/{3} suspend {4} -> {5}")
    @CsvSource({
            "Ready, True:InstallSucceeded, 1, 1, false, Installed",
            "Ready, True:UpgradeSucceeded, 2, 1, false, Installing",
            "Ready, False:DependencyNotReady, 1, 1, false, Installing",
            "Ready, False:InstallFailed, 1, 1, false, Failed",
            "Ready, False:UpgradeFailed, 1, 1, false, Failed",
            "Ready, False:ArtifactFailed, 1, 1, false, Failed",
            "Ready, Unknown:Progressing, 1, 1, false, Installing",
            "Released, False:InstallFailed, 1, 1, false, Failed",
            "Stalled, True:RetriesExceeded, 1, 1, false, Failed",
            "Ready, True:InstallSucceeded, 1, 1, true, Installing",
    })
    void conditionsBecomeStates(String type, String statusAndReason, long generation, long observed, boolean suspend,
            State expected) {
        String[] sr = statusAndReason.split(":");
        AddonState state = AddonStates.of("a", "1.0.0",
                ReleaseStatus.of(release(generation, observed, condition(type, sr[0], sr[1]), suspend)), true);
        assertThat(state.state()).isEqualTo(expected);
        if (expected == State.Installed) {
            assertThat(state.version()).as("the installed chart, from the history").isEqualTo("1.2.3");
        }
        if (expected == State.Failed) {
            assertThat(state.message()).startsWith(sr[1]);
        }
    }

    @Test
    void aReleaseWithoutConditionsWaitsForFlux() {
        assertThat(AddonStates.of("a", "1.0.0", ReleaseStatus.of(release(1, -1, "", false)), true).state())
                .isEqualTo(State.Installing);
    }

    @Test
    void theEventTypeSaysWhatMattersMost() {
        AddonState installed = new AddonState("a", State.Installed, "1", null, true);
        AddonState removed = new AddonState("b", State.Removed, null, null, false);
        AddonState failed = new AddonState("b", State.Failed, "1", "InstallFailed", true);
        AddonState installing = new AddonState("b", State.Installing, "1", null, true);
        assertThat(AddonStates.eventType(null, List.of(installed, failed))).isEqualTo(EventTypes.ADDON_FAILED);
        assertThat(AddonStates.eventType(null, List.of(installed, installing))).isEqualTo(EventTypes.ADDON_INSTALLING);
        assertThat(AddonStates.eventType(List.of(installed, installing), List.of(installed, removed)))
                .isEqualTo(EventTypes.ADDON_REMOVED);
        assertThat(AddonStates.eventType(List.of(installed, removed), List.of(installed, removed)))
                .as("re-emitted unchanged on resync").isEqualTo(EventTypes.ADDON_INSTALLED);
        assertThat(AddonStates.eventType(null, List.of(installed, removed)))
                .as("a replica that just started").isEqualTo(EventTypes.ADDON_INSTALLED);
    }
}

package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.model.Phase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionsTest {
    @Test
    void firstObservationEmitsRequested() {
        assertThat(Transitions.between(null, null, Phase.Pending)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.requested");
    }

    @Test
    void skippedMilestonesAreBackFilledInOrder() {
        assertThat(Transitions.between(null, null, Phase.Ready)).extracting(Transitions.Emit::type).containsExactly(
                "dev.nestor.cluster.requested", "dev.nestor.cluster.provisioning",
                "dev.nestor.cluster.control-plane-ready", "dev.nestor.cluster.ready");
        assertThat(Transitions.between("Provisioning", Phase.Provisioning, Phase.Ready)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.control-plane-ready", "dev.nestor.cluster.ready");
    }

    @Test
    void milestonesAreEmittedOnce() {
        assertThat(Transitions.between("Ready", Phase.Ready, Phase.Ready)).isEmpty();
        assertThat(Transitions.between("ControlPlaneReady", Phase.ControlPlaneReady, Phase.ControlPlaneReady)).isEmpty();
    }

    @Test
    void otherPhasesEmitOnEntryAndReadyAgainOnReturn() {
        assertThat(Transitions.between("Ready", Phase.Ready, Phase.Scaling)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.scaling");
        assertThat(Transitions.between("Ready", Phase.Scaling, Phase.Ready)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.ready");
        assertThat(Transitions.between("Provisioning", Phase.Provisioning, Phase.Failed)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.failed");
    }

    @Test
    void deletionEmitsDeletingThenDeleted() {
        assertThat(Transitions.between("Ready", Phase.Ready, Phase.Deleting)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.deleting");
        assertThat(Transitions.between("Ready", Phase.Deleting, Phase.Deleted)).extracting(Transitions.Emit::type)
                .containsExactly("dev.nestor.cluster.deleted");
    }
}

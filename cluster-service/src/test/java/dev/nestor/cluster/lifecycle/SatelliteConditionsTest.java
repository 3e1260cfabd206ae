package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.model.AddonStatus;
import dev.nestor.cluster.model.Phase;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeComponentState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.nestor.cluster.lifecycle.LifecycleDerivationTest.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The satellite conditions (AddonsReady, AutoscalerReady, StorageBridgeReady,
 * LoadBalancerBridgeReady) as rows: what the satellites reported, the condition it must yield,
 * and how the required add-ons hold Ready back.
 */
class SatelliteConditionsTest {
    static final BridgeComponentState SERVING = new BridgeComponentState(BridgeComponentState.State.Ready, null);
    static final SatelliteFacts ALL_WELL = new SatelliteFacts(
            List.of(addon("cilium", AddonState.State.Installed, true, null)),
            AutoscalerStateReport.State.Configured, null, SERVING, SERVING);

    static AddonState addon(String name, AddonState.State state, boolean required, String message) {
        return new AddonState(name, state, "1.16.5", message, required);
    }

    static SatelliteFacts addons(AddonState... addons) {
        return new SatelliteFacts(List.of(addons), null, null, null, null);
    }

    static SatelliteFacts autoscaler(AutoscalerStateReport.State state, String message) {
        return new SatelliteFacts(null, state, message, null, null);
    }

    static SatelliteFacts bridge(BridgeComponentState.State storage, BridgeComponentState.State loadBalancers,
            String message) {
        return new SatelliteFacts(null, null, null, new BridgeComponentState(storage, message),
                new BridgeComponentState(loadBalancers, message));
    }

    static Condition previous(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime("2026-11-25T09:00:00Z").build();
    }

    record Row(String description, boolean addonsRequired, boolean autoscaled, SatelliteFacts reports,
            List<Condition> previous, String type, String status, String reason, String message) {
        @Override
        public String toString() {
            return description + " → " + type + "=" + status + "/" + reason;
        }
    }

    static Stream<Row> rows() {
        var installed = AddonState.State.Installed;
        var failed = AddonState.State.Failed;
        var none = SatelliteFacts.NONE;
        List<Condition> nothingBefore = List.of();
        return Stream.of(
                new Row("add-ons not required: True whatever is reported", false, false,
                        addons(addon("cilium", failed, true, "chart not found")), nothingBefore,
                        "AddonsReady", "True", "NotRequired", "does not wait"),
                new Row("add-ons required, no report yet", true, false, none, nothingBefore,
                        "AddonsReady", "Unknown", "NoReport", "addon-service has not reported"),
                new Row("every required add-on installed", true, false,
                        addons(addon("cilium", installed, true, null), addon("coredns", installed, true, null)),
                        nothingBefore, "AddonsReady", "True", "Installed", "required add-ons are installed"),
                new Row("a required add-on failed: its message", true, false,
                        addons(addon("cilium", failed, true, "install retries exhausted"),
                                addon("coredns", AddonState.State.Installing, true, null)),
                        nothingBefore, "AddonsReady", "False", "AddonFailed", "cilium Failed: install retries exhausted"),
                new Row("a required add-on still installing", true, false,
                        addons(addon("cilium", installed, true, null), addon("coredns", AddonState.State.Installing, true, null)),
                        nothingBefore, "AddonsReady", "False", "WaitingForAddons", "waiting for coredns Installing"),
                new Row("an optional add-on failed: noted, not blocking", true, false,
                        addons(addon("cilium", installed, true, null), addon("velero", failed, false, "bucket missing")),
                        nothingBefore, "AddonsReady", "True", "Installed", "optional add-ons failed: velero Failed: bucket missing"),
                new Row("no report in memory: the persisted verdict of a report stands (restart)", true, false, none,
                        List.of(previous("AddonsReady", "True", "Installed", "the required add-ons are installed")),
                        "AddonsReady", "True", "Installed", "the required add-ons are installed"),
                new Row("no report in memory and the switch was off before: Unknown", true, false, none,
                        List.of(previous("AddonsReady", "True", "NotRequired", "Ready does not wait for add-ons")),
                        "AddonsReady", "Unknown", "NoReport", "has not reported"),
                new Row("nothing autoscales: NotRequired whatever is reported", true, false,
                        autoscaler(AutoscalerStateReport.State.Failed, "boom"), nothingBefore,
                        "AutoscalerReady", "True", "NotRequired", "no node group autoscales"),
                new Row("autoscaled, no report yet", true, true, none, nothingBefore,
                        "AutoscalerReady", "Unknown", "NoReport", "autoscaler-bridge has not reported"),
                new Row("autoscaler configured", true, true, autoscaler(AutoscalerStateReport.State.Configured, null),
                        nothingBefore, "AutoscalerReady", "True", "Configured", "is configured"),
                new Row("autoscaler failed: its message", true, true,
                        autoscaler(AutoscalerStateReport.State.Failed, "image pull back-off"), nothingBefore,
                        "AutoscalerReady", "False", "AutoscalerFailed", "image pull back-off"),
                new Row("autoscaler-bridge has not seen the autoscaled group yet", true, true,
                        autoscaler(AutoscalerStateReport.State.NotRequired, null), nothingBefore,
                        "AutoscalerReady", "False", "WaitingForAutoscaler", "reports NotRequired"),
                new Row("storage: no report yet", true, false, none, nothingBefore,
                        "StorageBridgeReady", "Unknown", "NoReport", "csi-bridge has not reported"),
                new Row("storage served", true, false,
                        bridge(BridgeComponentState.State.Ready, BridgeComponentState.State.Failed, null), nothingBefore,
                        "StorageBridgeReady", "True", "BridgeReady", "tenant volumes are served"),
                new Row("storage not served yet: the bridge's message", true, false,
                        bridge(BridgeComponentState.State.NotReady, BridgeComponentState.State.Ready, "tenant API unreachable"),
                        nothingBefore, "StorageBridgeReady", "False", "BridgeNotReady", "tenant API unreachable"),
                new Row("load balancers: no report yet", true, false, none, nothingBefore,
                        "LoadBalancerBridgeReady", "Unknown", "NoReport", "csi-bridge has not reported"),
                new Row("load balancers failed", true, false,
                        bridge(BridgeComponentState.State.Ready, BridgeComponentState.State.Failed, "pool exhausted"),
                        nothingBefore, "LoadBalancerBridgeReady", "False", "BridgeFailed", "pool exhausted"),
                new Row("load balancers served", true, false,
                        bridge(BridgeComponentState.State.Failed, BridgeComponentState.State.Ready, null), nothingBefore,
                        "LoadBalancerBridgeReady", "True", "BridgeReady", "tenant load balancers are served"));
    }

    static LifecycleInput input(String milestone, boolean addonsRequired, boolean autoscaled, SatelliteFacts reports,
            List<Condition> previous) {
        return new LifecycleInput(3, CREATED, null, milestone, true, true, null, ControlPlaneFacts.of(kcp(CP_AVAILABLE)),
                List.of(GroupFacts.of("md0", md(2, MD_READY))), addonsRequired, autoscaled, reports, previous,
                CREATED.plus(Duration.ofMinutes(1)), LifecycleDerivationTest.TIMINGS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void derivesTheCondition(Row row) {
        LifecycleState state = LifecycleDerivation.derive(
                input("ControlPlaneReady", row.addonsRequired(), row.autoscaled(), row.reports(), row.previous()));
        assertThat(state.conditions()).filteredOn(c -> c.getType().equals(row.type())).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(row.status());
            assertThat(c.getReason()).isEqualTo(row.reason());
            assertThat(c.getMessage()).contains(row.message());
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
        });
    }

    @Test
    void aPersistedVerdictKeepsItsTransitionTime() {
        var kept = previous("StorageBridgeReady", "False", "BridgeFailed", "disk pool gone");
        Condition c = LifecycleDerivation.derive(input("Ready", true, false, SatelliteFacts.NONE, List.of(kept)))
                .conditions().stream().filter(x -> x.getType().equals("StorageBridgeReady")).findFirst().orElseThrow();
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T09:00:00Z");
        assertThat(c.getMessage()).isEqualTo("disk pool gone");
    }

    record PhaseRow(String description, String milestone, boolean addonsRequired, SatelliteFacts reports, Phase phase,
            String reason) {
        @Override
        public String toString() {
            return description + " → " + phase + "/" + reason;
        }
    }

    static Stream<PhaseRow> phaseRows() {
        var installed = AddonState.State.Installed;
        return Stream.of(
                new PhaseRow("required add-ons: Ready waits for the first report", "ControlPlaneReady", true,
                        SatelliteFacts.NONE, Phase.ControlPlaneReady, "NoReport"),
                new PhaseRow("required add-ons: Ready waits while one installs", "ControlPlaneReady", true,
                        addons(addon("cilium", AddonState.State.Installing, true, null)), Phase.ControlPlaneReady,
                        "WaitingForAddons"),
                new PhaseRow("required add-ons installed: Ready", "ControlPlaneReady", true,
                        addons(addon("cilium", installed, true, null)), Phase.Ready, "Ready"),
                new PhaseRow("an optional add-on does not hold Ready back", "ControlPlaneReady", true,
                        addons(addon("cilium", installed, true, null), addon("velero", AddonState.State.Pending, false, null)),
                        Phase.Ready, "Ready"),
                new PhaseRow("switch off: Ready without any report", "ControlPlaneReady", false, SatelliteFacts.NONE,
                        Phase.Ready, "Ready"),
                new PhaseRow("a required add-on fails after Ready: Degraded", "Ready", true,
                        addons(addon("cilium", AddonState.State.Failed, true, "crash loop")), Phase.Degraded, "AddonFailed"),
                new PhaseRow("after Ready the lack of a report is no trouble", "Ready", true, SatelliteFacts.NONE,
                        Phase.Ready, "Ready"),
                new PhaseRow("the other satellites never hold Ready back", "ControlPlaneReady", true,
                        new SatelliteFacts(List.of(addon("cilium", installed, true, null)),
                                AutoscalerStateReport.State.Failed, "x", new BridgeComponentState(
                                        BridgeComponentState.State.Failed, "y"), null), Phase.Ready, "Ready"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phaseRows")
    void requiredAddonsDecideReady(PhaseRow row) {
        LifecycleState state = LifecycleDerivation.derive(
                input(row.milestone(), row.addonsRequired(), true, row.reports(), List.of()));
        assertThat(state.phase()).isEqualTo(row.phase());
        assertThat(state.reason()).isEqualTo(row.reason());
    }

    @Test
    void statusAddonsComeFromTheReport() {
        LifecycleState reported = LifecycleDerivation.derive(input("Ready", true, false,
                addons(addon("cilium", AddonState.State.Installed, true, null),
                        addon("velero", AddonState.State.Failed, false, "bucket missing")), List.of()));
        assertThat(reported.addons()).extracting(a -> a.name, a -> a.state, a -> a.version, a -> a.message)
                .containsExactly(tuple("cilium", "Installed", "1.16.5", null),
                        tuple("velero", "Failed", "1.16.5", "bucket missing"));
        List<AddonStatus> none = LifecycleDerivation.derive(input("Ready", true, false, SatelliteFacts.NONE, List.of()))
                .addons();
        assertThat(none).as("no report held: the persisted list is left alone").isNull();
    }
}

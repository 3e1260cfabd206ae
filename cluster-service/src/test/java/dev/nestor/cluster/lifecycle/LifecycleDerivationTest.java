package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.model.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The derivation table of DESIGN §5.1: each row is an observation of the upstream objects (as
 * YAML the real controllers write) and the phase it must yield, including the traps.
 */
class LifecycleDerivationTest {
    static final Instant CREATED = Instant.parse("2026-11-25T10:00:00Z");
    static final LifecycleTimings TIMINGS = new LifecycleTimings(Duration.ofMinutes(15), Duration.ofMinutes(15),
            Duration.ofSeconds(30));

    static GenericKubernetesResource kcp(String status) {
        return Serialization.unmarshal("""
                apiVersion: controlplane.cluster.x-k8s.io/v1alpha2
                kind: KamajiControlPlane
                metadata: {name: demo, namespace: tenant-acme, generation: 1}
                spec: {version: v1.33.5, controlPlaneEndpoint: {host: 10.0.0.5, port: 6443}}
                """ + (status == null ? "" : "status: " + status), GenericKubernetesResource.class);
    }

    static GenericKubernetesResource md(int replicas, String status) {
        return Serialization.unmarshal("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: MachineDeployment
                metadata: {name: demo-md0, namespace: tenant-acme, generation: 2}
                spec: {replicas: %d}
                status: %s
                """.formatted(replicas, status), GenericKubernetesResource.class);
    }

    static final String CP_AVAILABLE = "{ready: true, version: v1.33.5, initialization: {controlPlaneInitialized: true},"
            + " conditions: [{type: Available, status: 'True', reason: Available}]}";
    static final String CP_WAITING = "{conditions: [{type: TenantControlPlaneCreated, status: 'False', reason: Failed},"
            + " {type: Available, status: 'False', reason: NotAvailable}]}";
    static final String CP_HARD_ERROR = "{conditions: [{type: TenantControlPlaneCreated, status: 'False', reason: Pending,"
            + " message: datastore refused}]}";
    static final String CP_INITIALIZED_BUT_DOWN = "{ready: false, initialization: {controlPlaneInitialized: true},"
            + " conditions: [{type: Available, status: 'False', reason: NotAvailable}]}";
    static final String MD_READY = "{observedGeneration: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2, phase: Running}";
    static final String MD_RUNNING_NO_COUNTERS = "{observedGeneration: 2, phase: Running}";
    static final String MD_STALE = "{observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2}";
    static final String MD_SCALING = "{observedGeneration: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2,"
            + " conditions: [{type: ScalingUp, status: 'True', reason: ScalingUp}]}";
    static final String MD_MACHINE_DOWN = "{observedGeneration: 2, replicas: 2, readyReplicas: 1, availableReplicas: 1, upToDateReplicas: 2}";
    static final String CP_UPGRADING = "{ready: true, version: v1.32.9, initialization: {controlPlaneInitialized: true},"
            + " conditions: [{type: Available, status: 'True', reason: Available}]}";
    static final String MD_ROLLING = "{observedGeneration: 2, replicas: 3, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 1,"
            + " conditions: [{type: RollingOut, status: 'True', reason: RollingOut}]}";

    record Row(String description, String milestone, String kcpStatus, boolean kcpExists, int replicas, String mdStatus,
            Duration age, boolean deleting, boolean accepted, Phase expected) {
        @Override
        public String toString() {
            return description + " → " + expected;
        }
    }

    static Stream<Row> rows() {
        Duration young = Duration.ofMinutes(1);
        return Stream.of(
                new Row("nothing created yet", "Requested", null, false, 2, null, young, false, true, Phase.Pending),
                new Row("KCP without status", "Requested", null, true, 2, null, young, false, true, Phase.Provisioning),
                new Row("Kamaji reason Failed only means waiting", "Provisioning", CP_WAITING, true, 2, null, young, false, true, Phase.Provisioning),
                new Row("Kamaji reason Pending is a real error", "Provisioning", CP_HARD_ERROR, true, 2, null, young, false, true, Phase.Failed),
                new Row("control plane available, workers not yet", "Provisioning", CP_AVAILABLE, true, 3, MD_SCALING, young, false, true, Phase.ControlPlaneReady),
                new Row("MD phase Running without counters is not ready", "ControlPlaneReady", CP_AVAILABLE, true, 2, MD_RUNNING_NO_COUNTERS, young, false, true, Phase.ControlPlaneReady),
                new Row("MD status of an older generation is not trusted", "ControlPlaneReady", CP_AVAILABLE, true, 2, MD_STALE, young, false, true, Phase.ControlPlaneReady),
                new Row("everything ready", "ControlPlaneReady", CP_AVAILABLE, true, 2, MD_READY, young, false, true, Phase.Ready),
                new Row("controlPlaneInitialized never clears: Available decides", "Ready", CP_INITIALIZED_BUT_DOWN, true, 2, MD_READY, young, false, true, Phase.Degraded),
                new Row("scaling after Ready", "Ready", CP_AVAILABLE, true, 3, MD_SCALING, young, false, true, Phase.Scaling),
                new Row("a new MD generation not yet observed after Ready is scaling", "Ready", CP_AVAILABLE, true, 2, MD_STALE, young, false, true, Phase.Scaling),
                new Row("a machine not ready after Ready is degraded", "Ready", CP_AVAILABLE, true, 2, MD_MACHINE_DOWN, young, false, true, Phase.Degraded),
                new Row("KCP spec.version ahead of status.version after Ready is an upgrade; ready stays true", "Ready", CP_UPGRADING, true, 2, MD_READY, young, false, true, Phase.Upgrading),
                new Row("rolling out after Ready is an upgrade", "Ready", CP_AVAILABLE, true, 3, MD_ROLLING, young, false, true, Phase.Upgrading),
                new Row("provisioning past its deadline fails", "Provisioning", CP_WAITING, true, 2, null, Duration.ofMinutes(16), false, true, Phase.Failed),
                new Row("a cluster once Ready never times out", "Ready", CP_AVAILABLE, true, 3, MD_SCALING, Duration.ofHours(5), false, true, Phase.Scaling),
                new Row("a refused first spec fails", null, null, false, 2, null, young, false, false, Phase.Failed),
                new Row("deletion wins over everything", "Ready", CP_HARD_ERROR, true, 2, MD_READY, young, true, true, Phase.Deleting));
    }

    static LifecycleInput input(Row row) {
        return input(row, false, SatelliteFacts.NONE);
    }

    static LifecycleInput input(Row row, boolean addonsRequired, SatelliteFacts satellites) {
        ControlPlaneFacts cp = row.kcpExists() ? ControlPlaneFacts.of(kcp(row.kcpStatus())) : ControlPlaneFacts.ABSENT;
        List<GroupFacts> groups = List.of(row.mdStatus() == null ? GroupFacts.absent("md0")
                : GroupFacts.of("md0", md(row.replicas(), row.mdStatus())));
        return new LifecycleInput(1, CREATED, row.deleting() ? CREATED.plus(row.age()) : null, row.milestone(),
                row.accepted(), row.accepted(), row.accepted() ? null : "version: not offered", cp, groups, addonsRequired,
                false, satellites, List.of(), List.of(), CREATED.plus(row.age()), TIMINGS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void derivesThePhase(Row row) {
        assertThat(LifecycleDerivation.derive(input(row)).phase()).isEqualTo(row.expected());
    }

    @Test
    void readyCarriesConditionsWithObservedGenerationAndCounts() {
        Row row = rows().filter(r -> r.expected() == Phase.Ready).findFirst().orElseThrow();
        LifecycleState state = LifecycleDerivation.derive(input(row, true, SatelliteConditionsTest.ALL_WELL));
        assertThat(state.conditions()).extracting(Condition::getType)
                .containsExactly("SpecAccepted", "ControlPlaneReady", "WorkersReady", "AddonsReady", "AutoscalerReady",
                        "StorageBridgeReady", "LoadBalancerBridgeReady", "Ready");
        assertThat(state.conditions()).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
            assertThat(c.getReason()).isNotBlank();
        });
        assertThat(state.readyNodes()).isEqualTo(2);
        assertThat(state.desiredNodes()).isEqualTo(2);
    }

    @Test
    void failedCarriesReasonAndMessage() {
        Row row = rows().filter(r -> r.description().startsWith("provisioning past")).findFirst().orElseThrow();
        LifecycleState state = LifecycleDerivation.derive(input(row));
        assertThat(state.reason()).isEqualTo("ProvisioningTimeout");
        assertThat(state.message()).contains("15 minutes", "control plane");
    }

    /** An autoscaled md0 growing from 2 to 3 machines, its workers not ready since {@code notReadyFor}. */
    static LifecycleState autoscalerResize(Duration notReadyFor, String mdStatus, boolean autoscaled) {
        GenericKubernetesResource md = md(3, mdStatus);
        if (autoscaled) {
            md.getMetadata().setAnnotations(java.util.Map.of(dev.nestor.cluster.render.Labels.AUTOSCALER_MIN, "1",
                    dev.nestor.cluster.render.Labels.AUTOSCALER_MAX, "5"));
        }
        Instant now = CREATED.plus(Duration.ofHours(1));
        Condition workersDown = new ConditionBuilder().withType("WorkersReady").withStatus("False")
                .withReason("WaitingForWorkers").withLastTransitionTime(now.minus(notReadyFor).toString()).build();
        return LifecycleDerivation.derive(new LifecycleInput(1, CREATED, null, "Ready", true, true, null,
                ControlPlaneFacts.of(kcp(CP_AVAILABLE)), List.of(GroupFacts.of("md0", md)), false, autoscaled,
                SatelliteFacts.NONE, List.of(workersDown), List.of(), now, TIMINGS));
    }

    @Test
    void theAutoscalersResizeIsDebouncedSoReadyDoesNotFlap() {
        assertThat(autoscalerResize(Duration.ofSeconds(10), MD_SCALING, true).phase()).isEqualTo(Phase.Ready);
        assertThat(autoscalerResize(Duration.ofSeconds(10), MD_SCALING, true).message()).contains("autoscaler", "md0");
        assertThat(autoscalerResize(Duration.ofSeconds(31), MD_SCALING, true).phase()).isEqualTo(Phase.Scaling);
        // A resize the user asked for (a fixed-size group) shows at once.
        assertThat(autoscalerResize(Duration.ofSeconds(10), MD_SCALING, false).phase()).isEqualTo(Phase.Scaling);
    }

    /** md0 of 3 whose machines all exist, one not ready yet; the previous reconcile recorded {@code desiredBefore}. */
    static LifecycleState oneMachineNotReady(int desiredBefore) {
        Instant now = CREATED.plus(Duration.ofHours(1));
        return LifecycleDerivation.derive(new LifecycleInput(1, CREATED, null, "Ready", true, true, null,
                ControlPlaneFacts.of(kcp(CP_AVAILABLE)), List.of(GroupFacts.of("md0", md(3,
                "{observedGeneration: 2, replicas: 3, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 3}"))),
                false, false, SatelliteFacts.NONE, List.of(),
                List.of(new dev.nestor.cluster.model.NodeGroupStatus("md0", desiredBefore, desiredBefore, desiredBefore)),
                now, TIMINGS));
    }

    @Test
    void aNewMachineNotReadyYetIsScalingButAMachineThatStoppedBeingReadyIsDegraded() {
        LifecycleState grew = oneMachineNotReady(2);
        assertThat(grew.phase()).isEqualTo(Phase.Scaling);
        assertThat(grew.conditions()).filteredOn(c -> c.getType().equals("WorkersReady")).singleElement()
                .extracting(Condition::getReason).isEqualTo("ScalingUp");
        assertThat(oneMachineNotReady(3).phase()).isEqualTo(Phase.Degraded);
    }

    @Test
    void scalingHasADeadline() {
        LifecycleState stalled = autoscalerResize(Duration.ofMinutes(16), MD_SCALING, false);
        assertThat(stalled.phase()).isEqualTo(Phase.Degraded);
        assertThat(stalled.reason()).isEqualTo("ScalingStalled");
        assertThat(stalled.message()).contains("15 minutes", "md0");
        assertThat(autoscalerResize(Duration.ofMinutes(14), MD_SCALING, false).phase()).isEqualTo(Phase.Scaling);
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusChanges() {
        Row row = rows().filter(r -> r.expected() == Phase.Ready).findFirst().orElseThrow();
        LifecycleInput first = input(row);
        Condition earlier = new ConditionBuilder().withType("Ready").withStatus("True").withReason("Ready")
                .withLastTransitionTime("2026-11-25T09:00:00Z").build();
        Condition earlierFalse = new ConditionBuilder().withType("WorkersReady").withStatus("False")
                .withReason("WaitingForWorkers").withLastTransitionTime("2026-11-25T09:00:00Z").build();
        LifecycleInput later = new LifecycleInput(first.generation(), first.provisioningSince(), null, first.milestone(), true, true,
                null, first.controlPlane(), first.groups(), false, false, SatelliteFacts.NONE, List.of(earlier, earlierFalse),
                List.of(), first.now(), TIMINGS);
        List<Condition> conditions = LifecycleDerivation.derive(later).conditions();
        assertThat(conditions).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .extracting(Condition::getLastTransitionTime).isEqualTo("2026-11-25T09:00:00Z");
        assertThat(conditions).filteredOn(c -> c.getType().equals("WorkersReady")).singleElement()
                .extracting(Condition::getLastTransitionTime).isEqualTo("2026-11-25T10:01:00Z");
    }
}

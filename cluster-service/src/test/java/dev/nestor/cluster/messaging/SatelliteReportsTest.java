package dev.nestor.cluster.messaging;

import dev.nestor.cluster.lifecycle.SatelliteFacts;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeComponentState;
import dev.nestor.events.payload.BridgeStateReport;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static dev.nestor.cluster.messaging.SatelliteReports.Outcome.DUPLICATE;
import static dev.nestor.cluster.messaging.SatelliteReports.Outcome.OUTDATED;
import static dev.nestor.cluster.messaging.SatelliteReports.Outcome.RECORDED;
import static org.assertj.core.api.Assertions.assertThat;

/** The latest state report per (source, cluster uid): newer wins, older and redelivered ones change nothing. */
class SatelliteReportsTest {
    static final String UID = "4b1c0000-0000-0000-0000-000000007c11";
    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-25T10:00:00Z");

    final SatelliteReports reports = new SatelliteReports();

    static NestorEvent<AddonStateReport> addons(String uid, OffsetDateTime time, AddonState.State cilium) {
        return NestorEvent.report(EventSources.ADDON_SERVICE, EventTypes.ADDON_INSTALLED, time, "acme", "tenant-acme",
                "prod", uid, new AddonStateReport(uid, "acme", "tenant-acme", "prod", 1,
                        List.of(new AddonState("cilium", cilium, "1.16.5", null, true))));
    }

    static NestorEvent<AutoscalerStateReport> autoscaler(OffsetDateTime time, AutoscalerStateReport.State state) {
        return NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_CONFIGURED, time, "acme",
                "tenant-acme", "prod", UID, new AutoscalerStateReport(UID, "acme", "tenant-acme", "prod", state, null,
                        null, List.of()));
    }

    static NestorEvent<BridgeStateReport> bridge(OffsetDateTime time, BridgeComponentState.State storage) {
        var lb = new BridgeComponentState(BridgeComponentState.State.Ready, null);
        return NestorEvent.report(EventSources.CSI_BRIDGE, EventTypes.BRIDGE_CONNECTED, time, "acme", "tenant-acme",
                "prod", UID, new BridgeStateReport(UID, "acme", "tenant-acme", "prod", true,
                        new BridgeComponentState(storage, null), lb, lb));
    }

    static AddonState.State cilium(SatelliteFacts facts) {
        return facts.addons().get(0).state();
    }

    @Test
    void nothingHeldBeforeTheFirstReport() {
        assertThat(reports.facts(UID)).isEqualTo(SatelliteFacts.NONE);
    }

    @Test
    void theLatestReportWins() {
        assertThat(reports.record(addons(UID, T0, AddonState.State.Installing))).isEqualTo(RECORDED);
        assertThat(reports.record(addons(UID, T0.plusSeconds(30), AddonState.State.Installed))).isEqualTo(RECORDED);
        assertThat(cilium(reports.facts(UID))).isEqualTo(AddonState.State.Installed);
    }

    @Test
    void anOlderReportIsIgnored() {
        reports.record(addons(UID, T0.plusSeconds(30), AddonState.State.Installed));
        assertThat(reports.record(addons(UID, T0, AddonState.State.Failed))).isEqualTo(OUTDATED);
        assertThat(cilium(reports.facts(UID))).isEqualTo(AddonState.State.Installed);
    }

    @Test
    void aRedeliveredReportIsADuplicate() {
        var report = addons(UID, T0, AddonState.State.Installed);
        assertThat(reports.record(report)).isEqualTo(RECORDED);
        assertThat(reports.record(report)).isEqualTo(DUPLICATE);
        assertThat(cilium(reports.facts(UID))).isEqualTo(AddonState.State.Installed);
    }

    @Test
    void reportsAboutAnotherUidOfTheSameNameDoNotCount() {
        String recreated = "99990000-0000-0000-0000-000000000001";
        reports.record(addons(recreated, T0.plusSeconds(60), AddonState.State.Failed));
        assertThat(reports.facts(UID).addons()).isNull();
        reports.record(addons(UID, T0, AddonState.State.Installed));
        assertThat(cilium(reports.facts(UID))).isEqualTo(AddonState.State.Installed);
        assertThat(cilium(reports.facts(recreated))).isEqualTo(AddonState.State.Failed);
    }

    @Test
    void eachSourceKeepsItsOwnLatestReport() {
        reports.record(addons(UID, T0.plusSeconds(60), AddonState.State.Installed));
        // older than the add-on report, but the first of its source: held
        assertThat(reports.record(autoscaler(T0, AutoscalerStateReport.State.Configured))).isEqualTo(RECORDED);
        assertThat(reports.record(bridge(T0, BridgeComponentState.State.NotReady))).isEqualTo(RECORDED);
        SatelliteFacts facts = reports.facts(UID);
        assertThat(cilium(facts)).isEqualTo(AddonState.State.Installed);
        assertThat(facts.autoscaler()).isEqualTo(AutoscalerStateReport.State.Configured);
        assertThat(facts.storage().state()).isEqualTo(BridgeComponentState.State.NotReady);
        assertThat(facts.loadBalancers().state()).isEqualTo(BridgeComponentState.State.Ready);
    }

    @Test
    void aDeletedClusterIsForgotten() {
        reports.record(addons(UID, T0, AddonState.State.Installed));
        reports.record(autoscaler(T0, AutoscalerStateReport.State.Configured));
        reports.forget(UID);
        assertThat(reports.facts(UID)).isEqualTo(SatelliteFacts.NONE);
    }
}

package dev.nestor.sandbox.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's command line: the defaults of DESIGN §9, and clear errors for what it cannot use. */
class PlatformOptionsTest {

    @TempDir
    Path workspace;

    @Test
    void defaultsAreTheSandboxPortsAndAllFourServices() {
        PlatformOptions options = PlatformOptions.parse(List.of("--root", workspace.toString()), Map.of());

        assertThat(options.apiPort()).isEqualTo(6443);
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.services()).extracting(ServiceSpec::name, ServiceSpec::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cluster-service", 8080),
                org.assertj.core.groups.Tuple.tuple("addon-service", 8081),
                org.assertj.core.groups.Tuple.tuple("autoscaler-bridge", 8082),
                org.assertj.core.groups.Tuple.tuple("csi-bridge", 8083));
        assertThat(options.timingScale()).isEqualTo(1.0);
        assertThat(options.kubeconfig()).isEqualTo(workspace.resolve(".nestor").resolve("kubeconfig"));
        assertThat(options.logDir()).isEqualTo(workspace.resolve(".nestor").resolve("logs"));
        assertThat(options.upstreamCrds()).isEmpty();
    }

    @Test
    void everyOptionCanBeSet() {
        PlatformOptions options = PlatformOptions.parse(List.of("--root", workspace.toString(), "--api-port", "16443",
                "--kafka-port", "19092", "--services", "csi-bridge,cluster-service", "--timing-scale", "0.5",
                "--startup-timeout", "60"), Map.of());

        assertThat(options.apiPort()).isEqualTo(16443);
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.services()).extracting(ServiceSpec::name).containsExactly("csi-bridge", "cluster-service");
        assertThat(options.timingScale()).isEqualTo(0.5);
        assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(PlatformOptions.parse(List.of("--services", "none"), Map.of()).services()).isEmpty();
    }

    @Test
    void stateGoesUnderTheRootUnlessAStateDirIsGiven() {
        assertThat(PlatformOptions.parse(List.of("--root", workspace.toString()), Map.of()).kubeconfig())
                .isEqualTo(workspace.resolve(".nestor").resolve("kubeconfig"));
        Path elsewhere = workspace.resolve("e2e-state");
        PlatformOptions options = PlatformOptions.parse(List.of("--root", workspace.toString(), "--state-dir",
                elsewhere.toString()), Map.of());
        assertThat(options.kubeconfig()).isEqualTo(elsewhere.resolve("kubeconfig"));
        assertThat(options.logDir()).isEqualTo(elsewhere.resolve("logs"));
    }

    @Test
    void upstreamSchemasComeFromTheEnvironmentOrNextToTheRoot() throws Exception {
        Path root = Files.createDirectories(workspace.resolve("main"));
        Path shared = Files.createDirectories(workspace.resolve("shared").resolve("crds"));
        Path elsewhere = Files.createDirectories(workspace.resolve("elsewhere"));

        assertThat(PlatformOptions.parse(List.of("--root", root.toString()), Map.of()).upstreamCrds())
                .contains(shared);
        assertThat(PlatformOptions.parse(List.of("--root", root.toString()),
                Map.of("NESTOR_UPSTREAM_CRDS", elsewhere.toString())).upstreamCrds()).contains(elsewhere);
        assertThat(PlatformOptions.parse(List.of("--root", root.toString()),
                Map.of("NESTOR_UPSTREAM_CRDS", workspace.resolve("missing").toString())).upstreamCrds()).isEmpty();
    }

    @Test
    void mistakesAreReportedWithWhatWasWrong() {
        assertThatThrownBy(() -> PlatformOptions.parse(List.of("--verbose"), Map.of()))
                .hasMessageContaining("unknown argument '--verbose'").hasMessageContaining("usage:");
        assertThatThrownBy(() -> PlatformOptions.parse(List.of("--api-port"), Map.of()))
                .hasMessageContaining("--api-port needs a value");
        assertThatThrownBy(() -> PlatformOptions.parse(List.of("--kafka-port", "70000"), Map.of()))
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> PlatformOptions.parse(List.of("--services", "billing"), Map.of()))
                .hasMessageContaining("unknown service 'billing'");
        assertThatThrownBy(() -> PlatformOptions.parse(List.of("--timing-scale", "-1"), Map.of()))
                .hasMessageContaining("positive number");
    }
}

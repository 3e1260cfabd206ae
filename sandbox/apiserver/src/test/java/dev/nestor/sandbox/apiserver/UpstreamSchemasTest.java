package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 3 on the upstream CRDs of ../shared/crds: enforced by the server and by the public validator. */
class UpstreamSchemasTest {
  /** Every rule in ../shared/crds (41, counting each version) compiles with the standard CEL libraries. */
  static final int UPSTREAM_CEL_RULES = 41;

  @Test
  void upstreamSchemasAreEnforcedAndTheValidatorAgrees() {
    Path upstream = TestCrds.upstream();
    SchemaValidator validator = SchemaValidator.load(upstream);
    assertThat(validator.celRulesFound()).isEqualTo(UPSTREAM_CEL_RULES);
    assertThat(validator.celRulesCompiled()).as("rules not compiled: %s", validator.celCompileFailures())
        .isEqualTo(UPSTREAM_CEL_RULES);

    String cluster = """
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: c1, namespace: default}
        spec:
          controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KamajiControlPlane, name: c1}
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: KubevirtCluster, name: c1}
          notAField: true
        """;
    GenericKubernetesResource c = Resources.yaml(cluster);
    assertThat(validator.validate("cluster.x-k8s.io/v1beta2", "Cluster", Json.valueOf(c))).isEmpty();
    assertThat(validator.prunedFields("cluster.x-k8s.io/v1beta2", "Cluster", Json.valueOf(c)))
        .containsExactly("spec.notAField");
    assertThat(validator.validate("cluster.x-k8s.io/v1beta1", "Cluster", Json.valueOf(c))).isEmpty();
    assertThat(validator.validate("cluster.x-k8s.io/v9", "Cluster", Json.valueOf(c))).singleElement()
        .asString().contains("no schema known");

    String helmRelease = """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: cilium, namespace: default}
        spec:
          interval: 5m
          chart: {spec: {chart: cilium, sourceRef: {kind: HelmRepository, name: cilium}}}
          chartRef: {kind: OCIRepository, name: cilium}
        """;
    assertThat(validator.validate("helm.toolkit.fluxcd.io/v2", "HelmRelease",
        Json.valueOf(Resources.yaml(helmRelease)))).as("CEL: chart and chartRef are exclusive").isNotEmpty();

    try (ApiServer server = ApiServer.builder().upstreamSchemas(upstream).start();
        KubernetesClient client = server.newClient()) {
      GenericKubernetesResource stored = client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
          .inNamespace("default").resource(c).create();
      assertThat(Json.valueOf(stored).path("spec").has("notAField")).isFalse();
      assertThatThrownBy(() -> client.genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
          .inNamespace("default").resource(Resources.yaml(helmRelease)).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getMessage()).contains("HelmRelease.helm.toolkit.fluxcd.io \"cilium\" is invalid");
          });
    }
  }
}

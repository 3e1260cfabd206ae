package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

/** Kamaji's version webhook: one minor at a time, never down, never past the bundled kubeadm. */
class KamajiVersionRuleTest {
  static final String KCP = """
      apiVersion: controlplane.cluster.x-k8s.io/v1alpha2
      kind: KamajiControlPlane
      metadata: {name: %s}
      spec: {version: %s}
      """;

  static void refused(Runnable write, String message) {
    assertThatThrownBy(write::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getStatus().getMessage()).contains(message);
    });
  }

  static String patch(String version) {
    return "{\"spec\":{\"version\":\"" + version + "\"}}";
  }

  @Test
  void versionChangesGoOneMinorUpAtATime() {
    try (ApiServer server = ApiServer.builder().start(); KubernetesClient client = server.newClient()) {
      var kcps = client.genericKubernetesResources("controlplane.cluster.x-k8s.io/v1alpha2", "KamajiControlPlane")
          .inNamespace("default");
      refused(() -> kcps.resource(Resources.yaml(KCP.formatted("future", "v1.37.0"))).create(), "greater than the supported");
      kcps.resource(Resources.yaml(KCP.formatted("cp", "v1.32.9"))).create();
      var cp = kcps.withName("cp");
      refused(() -> cp.patch(PatchContext.of(PatchType.JSON_MERGE), patch("v1.31.13")), "unable to downgrade");
      refused(() -> cp.patch(PatchContext.of(PatchType.JSON_MERGE), patch("v1.34.1")), "skipping minor versions");
      cp.patch(PatchContext.of(PatchType.JSON_MERGE), patch("v1.32.10"));
      cp.patch(PatchContext.of(PatchType.JSON_MERGE), patch("v1.33.5"));
      assertThat(Json.valueOf(cp.get()).path("spec").path("version").asText()).isEqualTo("v1.33.5");
    }
  }
}

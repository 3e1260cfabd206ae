package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 8: status and scale subresources. */
class SubresourcesTest {
  @Test
  @SuppressWarnings("unchecked")
  void statusAndScaleSubresourcesSeparateSpecFromStatus() {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).start();
        KubernetesClient client = server.newClient()) {
      var tcs = Resources.in(client, Resources.TC, "default");
      GenericKubernetesResource withStatus = Resources.tenantCluster("c1", "v1.31.2");
      withStatus.setAdditionalProperty("status", Map.of("phase", "Forged"));
      GenericKubernetesResource created = tcs.resource(withStatus).create();
      assertThat(created.getAdditionalProperties()).as("status dropped on create").doesNotContainKey("status");

      GenericKubernetesResource s = tcs.withName("c1").get();
      s.setAdditionalProperty("status", Map.of("phase", "Ready", "controlPlaneReplicas", 2, "selector", "a=b"));
      s.setAdditionalProperty("spec", Map.of("version", "v1.99.0"));
      GenericKubernetesResource afterStatus = tcs.resource(s).updateStatus();
      assertThat(afterStatus.getAdditionalProperties().get("status")).isEqualTo(Map.of("phase", "Ready",
          "controlPlaneReplicas", 2, "selector", "a=b"));
      assertThat((Map<String, Object>) afterStatus.getAdditionalProperties().get("spec"))
          .as("status writes ignore spec").containsEntry("version", "v1.31.2");

      GenericKubernetesResource main = tcs.withName("c1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"status\":{\"phase\":\"Hacked\"},\"spec\":{\"version\":\"v1.32.0\"}}");
      assertThat((Map<String, Object>) main.getAdditionalProperties().get("status"))
          .as("main-resource writes ignore status").containsEntry("phase", "Ready");
      assertThat((Map<String, Object>) main.getAdditionalProperties().get("spec")).containsEntry("version", "v1.32.0");

      Scale scale = client.genericKubernetesResources(Resources.TC).inNamespace("default").withName("c1").scale();
      assertThat(scale.getSpec().getReplicas()).as("defaulted spec.controlPlaneReplicas").isEqualTo(2);
      assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
      assertThat(scale.getStatus().getSelector()).isEqualTo("a=b");
      client.genericKubernetesResources(Resources.TC).inNamespace("default").withName("c1").scale(3);
      GenericKubernetesResource scaled = tcs.withName("c1").get();
      assertThat((Map<String, Object>) scaled.getAdditionalProperties().get("spec"))
          .containsEntry("controlPlaneReplicas", 3);
      assertThat(scaled.getMetadata().getManagedFields()).anySatisfy(m -> assertThat(m.getSubresource())
          .isEqualTo("scale"));
    }
  }
}

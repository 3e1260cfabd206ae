package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 7: resourceVersion preconditions, no-op writes keep the version, generation moves only with spec. */
class OptimisticConcurrencyTest {
  @Test
  void resourceVersionAndGenerationBehaveLikeARealServer() {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).start();
        KubernetesClient client = server.newClient()) {
      var tcs = Resources.in(client, Resources.TC, "default");
      GenericKubernetesResource created = tcs.resource(Resources.tenantCluster("c1", "v1.31.2")).create();
      assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
      String rv1 = created.getMetadata().getResourceVersion();

      GenericKubernetesResource same = tcs.resource(created).update();
      assertThat(same.getMetadata().getResourceVersion()).as("no-op update").isEqualTo(rv1);
      GenericKubernetesResource samePatch = tcs.withName("c1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"version\":\"v1.31.2\"}}");
      assertThat(samePatch.getMetadata().getResourceVersion()).as("no-op patch").isEqualTo(rv1);

      GenericKubernetesResource labelled = tcs.withName("c1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
      assertThat(labelled.getMetadata().getResourceVersion()).isNotEqualTo(rv1);
      assertThat(labelled.getMetadata().getGeneration()).as("metadata change").isEqualTo(1L);

      GenericKubernetesResource stale = created;
      stale.setAdditionalProperty("spec", Map.of("version", "v1.32.0"));
      assertThatThrownBy(() -> tcs.resource(stale).update()).isInstanceOfSatisfying(KubernetesClientException.class,
          e -> assertThat(e.getCode()).isEqualTo(409));
      assertThatThrownBy(() -> tcs.withName("c1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"resourceVersion\":\"" + rv1 + "\"},\"spec\":{\"version\":\"v1.32.0\"}}"))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThatThrownBy(() -> tcs.resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1, resourceVersion: "%s"}
          spec: {version: v1.32.0}
          """.formatted(rv1))).fieldManager("m").serverSideApply())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

      GenericKubernetesResource fresh = tcs.withName("c1").get();
      fresh.setAdditionalProperty("spec", Map.of("version", "v1.32.0"));
      GenericKubernetesResource updated = tcs.resource(fresh).update();
      assertThat(updated.getMetadata().getGeneration()).as("spec change").isEqualTo(2L);

      updated.setAdditionalProperty("status", Map.of("phase", "Ready"));
      GenericKubernetesResource status = tcs.resource(updated).updateStatus();
      assertThat(status.getMetadata().getGeneration()).as("status change").isEqualTo(2L);
      assertThat(status.getMetadata().getResourceVersion()).isNotEqualTo(updated.getMetadata().getResourceVersion());
    }
  }
}

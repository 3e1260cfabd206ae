package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour 10: finalizers, ownerReference garbage collection and namespace deletion. */
class DeletionTest {
  private static ConfigMap cm(String name, List<String> finalizers, ConfigMap owner) {
    var b = new ConfigMapBuilder().withNewMetadata().withName(name).withFinalizers(finalizers);
    if (owner != null) {
      b = b.addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName(owner.getMetadata().getName())
          .withUid(owner.getMetadata().getUid()).endOwnerReference();
    }
    return b.endMetadata().build();
  }

  @Test
  void finalizersGarbageCollectionAndNamespaceDeletion() {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).start();
        KubernetesClient client = server.newClient()) {
      Resources.namespace(client, "work");
      var cms = client.configMaps().inNamespace("work");
      cms.resource(cm("held", List.of("example.com/hold"), null)).create();
      cms.withName("held").delete();
      ConfigMap deleting = cms.withName("held").get();
      assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
      deleting.getMetadata().getFinalizers().add("example.com/another");
      assertThatThrownBy(() -> cms.resource(deleting).update()).isInstanceOfSatisfying(
          KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
      cms.withName("held").edit(c -> {
        c.getMetadata().setFinalizers(List.of());
        return c;
      });
      assertThat(cms.withName("held").get()).as("gone once the last finalizer is removed").isNull();

      ConfigMap owner = cms.resource(cm("owner", List.of(), null)).create();
      cms.resource(cm("child", List.of(), owner)).create();
      cms.resource(cm("guarded-child", List.of("example.com/hold"), owner)).create();
      ConfigMap grandchildOwner = cms.withName("child").get();
      cms.resource(cm("grandchild", List.of(), grandchildOwner)).create();
      cms.withName("owner").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(cms.withName("child").get()).isNull();
        assertThat(cms.withName("grandchild").get()).isNull();
        assertThat(cms.withName("guarded-child").get().getMetadata().getDeletionTimestamp()).isNotNull();
      });

      ConfigMap fgOwner = cms.resource(cm("fg-owner", List.of(), null)).create();
      cms.resource(cm("fg-child", List.of("example.com/hold"), fgOwner)).create();
      cms.withName("fg-owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cms.withName("fg-child").get()
          .getMetadata().getDeletionTimestamp()).isNotNull());
      assertThat(cms.withName("fg-owner").get().getMetadata().getFinalizers()).contains("foregroundDeletion");
      cms.withName("fg-child").edit(c -> {
        c.getMetadata().setFinalizers(List.of());
        return c;
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> cms.withName("fg-owner").get() == null);

      client.namespaces().withName("work").delete();
      assertThat(client.namespaces().withName("work").get().getStatus().getPhase()).isEqualTo("Terminating");
      assertThatThrownBy(() -> cms.resource(cm("late", List.of(), null)).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      cms.withName("guarded-child").edit(c -> {
        c.getMetadata().setFinalizers(List.of());
        return c;
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> client.namespaces().withName("work").get() == null);
      assertThat(client.configMaps().inAnyNamespace().list().getItems())
          .noneMatch(c -> c.getMetadata().getNamespace().equals("work"));
    }
  }
}

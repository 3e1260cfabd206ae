package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Behaviour 9: namespaces must exist, names are validated, stringData becomes data. */
class NamespacesAndNamesTest {
  @Test
  void namespacesNamesAndSecretsBehaveLikeARealServer() {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).start();
        KubernetesClient client = server.newClient()) {
      assertThatThrownBy(() -> client.configMaps().inNamespace("missing").resource(new ConfigMapBuilder()
          .withNewMetadata().withName("cm").endMetadata().build()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(404);
            assertThat(e.getStatus().getReason()).isEqualTo("NotFound");
            assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"missing\" not found");
          });
      assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
          .withNewMetadata().withName("Bad_Name").endMetadata().build()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> assertThat(c.getField())
                .isEqualTo("metadata.name"));
          });
      String longName = "n".repeat(64);
      assertThatThrownBy(() -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
          .withName(longName).endMetadata().build()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
      assertThatThrownBy(() -> client.services().inNamespace("default").resource(new ServiceBuilder()
          .withNewMetadata().withName("s".repeat(64)).endMetadata().build()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
      assertThat(client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
          .withName("c".repeat(200) + ".example").endMetadata().build()).create()).isNotNull();

      Secret secret = client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
          .withName("creds").endMetadata().addToData("kept", "a2VwdA==").addToStringData("password", "s3cret")
          .build()).create();
      assertThat(secret.getStringData()).isNullOrEmpty();
      assertThat(secret.getData()).containsEntry("kept", "a2VwdA==").containsEntry("password",
          Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
      assertThat(client.secrets().inNamespace("default").withName("creds").get().getStringData()).isNullOrEmpty();
    }
  }
}

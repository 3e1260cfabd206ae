package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** Self reviews answer as a real server does for a client with every right (the sandbox has no RBAC). */
class AuthorizationTest {
  @Test
  void selfReviewsAllowEverything() {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).start(); KubernetesClient client = server.newClient()) {
      var rules = client.authorization().v1().selfSubjectRulesReview().create(new SelfSubjectRulesReviewBuilder()
          .withNewSpec().withNamespace("default").endSpec().build());
      assertThat(rules.getStatus().getResourceRules()).singleElement()
          .satisfies(r -> assertThat(r.getVerbs()).containsExactly("*"));
      var access = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
          .withNewSpec().withNewResourceAttributes().withVerb("update").withResource("leases").endResourceAttributes()
          .endSpec().build());
      assertThat(access.getStatus().getAllowed()).isTrue();
    }
  }
}

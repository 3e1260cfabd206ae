package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 3 on our own CRDs: defaults, pruning, schema validation and CEL rules on every kind of write. */
class SchemaEnforcementTest {
  private static List<String> causes(KubernetesClientException e) {
    return e.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void crdSchemasAreEnforcedOnEveryWrite() {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).upstreamKinds(false).start();
        KubernetesClient client = server.newClient()) {
      var tcs = Resources.in(client, Resources.TC, "default");
      GenericKubernetesResource created = tcs.resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec:
            version: v1.31.2
            datastore: etcd-a
            unknownField: dropped
            port: 6443
            nodeGroups: [{name: w, surprise: 1}]
            values: {anything: {goes: [1, 2]}}
            template: {apiVersion: v1, kind: Pod, metadata: {name: p, bogus: x}, spec: {a: 1}}
          """)).create();
      Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
      assertThat(spec).doesNotContainKey("unknownField").containsEntry("tier", "dev")
          .containsEntry("controlPlaneReplicas", 2);
      assertThat((List<Map<String, Object>>) spec.get("nodeGroups")).containsExactly(Map.of("name", "w",
          "replicas", 1));
      assertThat(spec.get("values")).isEqualTo(Map.of("anything", Map.of("goes", List.of(1, 2))));
      assertThat((Map<String, Object>) spec.get("template")).containsKeys("apiVersion", "kind", "spec");
      assertThat(((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("metadata")))
          .containsOnlyKeys("name");

      assertThatThrownBy(() -> tcs.resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: bad}
          spec:
            version: "1.31"
            tier: staging
            controlPlaneReplicas: 9
            description: far too long for ten
            autoscaling: {min: 5, max: 2}
            nodeGroups: [{name: a}, {name: a}]
            port: 1.5
          """)).create()).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).startsWith("TenantCluster.nestor.dev \"bad\" is invalid: [");
            assertThat(causes(e)).contains("spec.version", "spec.tier", "spec.controlPlaneReplicas",
                "spec.description", "spec", "spec.nodeGroups[1]", "spec.port");
            assertThat(e.getStatus().getMessage()).contains("autoscaling.min must not exceed autoscaling.max",
                "Unsupported value: \"staging\"", "should match '^v1\\.[0-9]+\\.[0-9]+$'");
          });
      assertThatThrownBy(() -> tcs.resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: noversion}
          spec: {tier: prod}
          """)).create()).isInstanceOfSatisfying(KubernetesClientException.class,
          e -> assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
            assertThat(c.getField()).isEqualTo("spec.version");
            assertThat(c.getReason()).isEqualTo("FieldValueRequired");
          }));

      assertThatThrownBy(() -> tcs.withName("c1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"datastore\":\"etcd-b\"}}")).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getMessage()).contains("datastore is immutable");
          });
      assertThatThrownBy(() -> tcs.resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec: {controlPlaneReplicas: 0}
          """)).fieldManager("m").forceConflicts().serverSideApply())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(causes(e))
              .contains("spec.controlPlaneReplicas"));
      GenericKubernetesResource current = tcs.withName("c1").get();
      current.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready"),
          Map.of("type", "Ready"))));
      assertThatThrownBy(() -> tcs.resource(current).updateStatus())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(causes(e))
              .contains("status.conditions[1]"));
    }
  }
}

package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 6: server-side apply with managed fields, pruning, list-map merging, conflicts and dryRun. */
class ServerSideApplyTest {
  @TempDir
  Path dir;

  private static GenericKubernetesResource apply(KubernetesClient client, String manager, boolean force, String yaml) {
    var op = Resources.in(client, Resources.TC, "default").resource(Resources.yaml(yaml)).fieldManager(manager);
    return force ? op.forceConflicts().serverSideApply() : op.serverSideApply();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @Test
  @SuppressWarnings("unchecked")
  void applyOwnsPrunesMergesAndConflicts() throws Exception {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).start();
        KubernetesClient client = server.newClient()) {
      GenericKubernetesResource created = apply(client, "renderer", false, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1, labels: {team: a}}
          spec:
            version: v1.31.2
            description: first
            nodeGroups: [{name: workers, instanceType: small}]
          """);
      assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies(m -> {
        assertThat(m.getManager()).isEqualTo("renderer");
        assertThat(m.getOperation()).isEqualTo("Apply");
        assertThat(Json.write(Json.valueOf(m.getFieldsV1()))).contains("\"f:version\"",
            "\"k:{\\\"name\\\":\\\"workers\\\"}\"", "\"f:team\"");
      });
      String rv = created.getMetadata().getResourceVersion();

      GenericKubernetesResource again = apply(client, "renderer", false, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1, labels: {team: a}}
          spec:
            version: v1.31.2
            description: first
            nodeGroups: [{name: workers, instanceType: small}]
          """);
      assertThat(again.getMetadata().getResourceVersion()).as("a no-op apply keeps the resourceVersion").isEqualTo(rv);

      GenericKubernetesResource scaler = apply(client, "scaler", false, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec:
            nodeGroups: [{name: workers, replicas: 4}, {name: gpu, replicas: 1}]
          """);
      List<Map<String, Object>> groups = (List<Map<String, Object>>) spec(scaler).get("nodeGroups");
      assertThat(groups).extracting(g -> g.get("name")).containsExactly("workers", "gpu");
      assertThat(groups.get(0)).containsEntry("instanceType", "small").containsEntry("replicas", 4);

      assertThatThrownBy(() -> apply(client, "other", false, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec: {version: v1.32.0}
          """)).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getMessage()).contains("conflict with \"renderer\"", ".spec.version");
            assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> assertThat(c.getField())
                .isEqualTo(".spec.version"));
          });
      GenericKubernetesResource forced = apply(client, "other", true, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec: {version: v1.32.0}
          """);
      assertThat(spec(forced)).containsEntry("version", "v1.32.0");

      GenericKubernetesResource pruned = apply(client, "renderer", false, """
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec:
            nodeGroups: [{name: workers, instanceType: small}]
          """);
      assertThat(spec(pruned)).as("renderer stopped applying description, which it owned alone")
          .doesNotContainKey("description").containsEntry("version", "v1.32.0");
      assertThat(pruned.getMetadata().getLabels()).isNullOrEmpty();
      assertThat((List<?>) spec(pruned).get("nodeGroups")).hasSize(2);

      var dry = Resources.in(client, Resources.TC, "default").withName("c1").dryRun().patch(
          new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("renderer").build(),
          """
          {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"c1"},
           "spec":{"nodeGroups":[{"name":"workers","instanceType":"large"}]}}""");
      assertThat((List<Map<String, Object>>) spec(dry).get("nodeGroups")).first()
          .satisfies(g -> assertThat(g).containsEntry("instanceType", "large"));
      assertThat(Resources.in(client, Resources.TC, "default").withName("c1").get().getMetadata()
          .getResourceVersion()).as("dryRun changed nothing").isEqualTo(pruned.getMetadata().getResourceVersion());

      GenericKubernetesResource status = Resources.in(client, Resources.TC, "default").resource(Resources.yaml("""
          apiVersion: nestor.dev/v1alpha1
          kind: TenantCluster
          metadata: {name: c1}
          spec: {version: v1.99.0}
          status: {phase: Provisioning}
          """)).subresource("status").patch(new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("controller").withForce(true).build());
      assertThat(status.getAdditionalProperties().get("status")).isEqualTo(Map.of("phase", "Provisioning"));
      assertThat(spec(status)).containsEntry("version", "v1.32.0");
      assertThat(status.getMetadata().getManagedFields()).anySatisfy(m -> {
        assertThat(m.getManager()).isEqualTo("controller");
        assertThat(m.getSubresource()).isEqualTo("status");
      });

      String deployment = """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          spec:
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec: {containers: [{name: %s, image: %s}]}
          """;
      client.apps().deployments().inNamespace("default").resource(Serialization.unmarshal(deployment.formatted("app",
          "app:1"), Deployment.class)).fieldManager("app-team").serverSideApply();
      Deployment both = client.apps().deployments().inNamespace("default").resource(Serialization.unmarshal(
          deployment.formatted("proxy", "proxy:1"), Deployment.class)).fieldManager("mesh").serverSideApply();
      assertThat(both.getSpec().getTemplate().getSpec().getContainers()).as("containers merge by name")
          .extracting(c -> c.getName()).containsExactly("app", "proxy");

      Assumptions.assumeTrue(Kubectl.available(), "kubectl not installed");
      Kubectl kubectl = new Kubectl(server, dir);
      Kubectl.Result r = kubectl.withInput("""
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings}
          data: {a: "1"}
          """, "apply", "--server-side", "--validate=false", "-f", "-");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(client.configMaps().withName("settings").get().getMetadata().getManagedFields())
          .anySatisfy(m -> assertThat(m.getManager()).isEqualTo("kubectl"));
    }
  }
}

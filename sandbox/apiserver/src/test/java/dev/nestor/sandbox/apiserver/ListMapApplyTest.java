package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply on {@code x-kubernetes-list-type: map} lists of the upstream MachineDeployment schema: an entry a
 * manager stops applying goes, unless another manager owns part of it, in which case only what the re-applying manager
 * alone owned goes; the entry's key fields always stay with the entry.
 */
class ListMapApplyTest {
  private static final String MD = """
      apiVersion: cluster.x-k8s.io/v1beta2
      kind: MachineDeployment
      metadata: {name: md1}
      spec:
        clusterName: c1
        selector: {matchLabels: {pool: a}}
        template:
          metadata: {labels: {pool: a}}
          spec:
            clusterName: c1
            bootstrap: {configRef: {apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: t}}
            infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: KubevirtMachineTemplate, name: t}
      %s
      """;
  private static final String TAINT_A = "{key: example.com/a, effect: NoSchedule, propagation: Always, value: x}";
  private static final String TAINT_A_EXEC = "{key: example.com/a, effect: NoExecute, propagation: Always}";
  private static final String KEY_A_SCHEDULE = "k:{\"effect\":\"NoSchedule\",\"key\":\"example.com/a\"}";
  private static final String KEY_A_EXEC = "k:{\"effect\":\"NoExecute\",\"key\":\"example.com/a\"}";

  private ApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = ApiServer.builder().upstreamSchemas(TestCrds.upstream()).start();
    client = server.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private GenericKubernetesResource apply(String manager, String templateSpecExtra) {
    String extra = templateSpecExtra.isEmpty() ? "" : "      " + templateSpecExtra;
    return Resources.in(client, Resources.MD, "default").resource(Resources.yaml(MD.formatted(extra)))
        .fieldManager(manager).serverSideApply();
  }

  private GenericKubernetesResource applyStatus(String manager, String versions) {
    String yaml = """
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: MachineDeployment
        metadata: {name: md1}
        status: {versions: %s}
        """.formatted(versions);
    return Resources.in(client, Resources.MD, "default").resource(Resources.yaml(yaml)).subresource("status")
        .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(manager)
            .build());
  }

  private static JsonNode templateSpec(GenericKubernetesResource md) {
    return Json.valueOf(md).path("spec").path("template").path("spec");
  }

  /** The list-map item keys a manager's managedFields entry lists under {@code path} (fieldsV1 elements). */
  private static List<String> ownedItems(GenericKubernetesResource md, String manager, String... path) {
    List<String> items = new ArrayList<>();
    for (JsonNode entry : Json.valueOf(md).path("metadata").path("managedFields")) {
      if (!entry.path("manager").asText().equals(manager)) {
        continue;
      }
      JsonNode n = entry.path("fieldsV1");
      for (String p : path) {
        n = n.path(p);
      }
      n.fieldNames().forEachRemaining(f -> {
        if (f.startsWith("k:")) {
          items.add(f);
        }
      });
    }
    return items;
  }

  @Test
  void statusEntryDroppedByItsManagerIsRemoved() {
    apply("renderer", "");
    GenericKubernetesResource first = applyStatus("md-controller", "[{version: v1, replicas: 1}, "
        + "{version: v2, replicas: 1}]");
    assertThat(ownedItems(first, "md-controller", "f:status", "f:versions"))
        .containsExactly("k:{\"version\":\"v1\"}", "k:{\"version\":\"v2\"}");

    GenericKubernetesResource second = applyStatus("md-controller", "[{version: v2, replicas: 2}]");

    JsonNode versions = Json.valueOf(second).path("status").path("versions");
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).path("version").asText()).isEqualTo("v2");
    assertThat(versions.get(0).path("replicas").asInt()).isEqualTo(2);
    assertThat(ownedItems(second, "md-controller", "f:status", "f:versions"))
        .containsExactly("k:{\"version\":\"v2\"}");
    assertThat(Json.valueOf(Resources.in(client, Resources.MD, "default").withName("md1").get())
        .path("status").path("versions")).as("stored, not only answered").hasSize(1);
  }

  @Test
  void specEntryDroppedByItsManagerIsRemoved() {
    apply("renderer", "readinessGates: [{conditionType: A}, {conditionType: B, polarity: Negative}]");

    GenericKubernetesResource second = apply("renderer", "readinessGates: [{conditionType: B}]");

    JsonNode gates = templateSpec(second).path("readinessGates");
    assertThat(gates).hasSize(1);
    assertThat(gates.get(0).path("conditionType").asText()).isEqualTo("B");
    assertThat(gates.get(0).has("polarity")).as("polarity no longer applied by its only owner").isFalse();
    assertThat(ownedItems(second, "renderer", "f:spec", "f:template", "f:spec", "f:readinessGates"))
        .containsExactly("k:{\"conditionType\":\"B\"}");
  }

  @Test
  void entryWithCompositeKeyIsRemovedAndItsSiblingWithTheSameKeyFieldStays() {
    GenericKubernetesResource first = apply("renderer", "taints: [" + TAINT_A + ", " + TAINT_A_EXEC + "]");
    assertThat(ownedItems(first, "renderer", "f:spec", "f:template", "f:spec", "f:taints"))
        .containsExactly(KEY_A_SCHEDULE, KEY_A_EXEC);

    GenericKubernetesResource second = apply("renderer", "taints: [" + TAINT_A_EXEC + "]");

    JsonNode taints = templateSpec(second).path("taints");
    assertThat(taints).hasSize(1);
    assertThat(taints.get(0).path("key").asText()).isEqualTo("example.com/a");
    assertThat(taints.get(0).path("effect").asText()).isEqualTo("NoExecute");
    assertThat(ownedItems(second, "renderer", "f:spec", "f:template", "f:spec", "f:taints"))
        .containsExactly(KEY_A_EXEC);
  }

  @Test
  void entryCoOwnedByAnotherApplierStaysWithoutTheFieldsOnlyTheDroppingManagerOwned() {
    apply("renderer", "taints: [" + TAINT_A + ", " + TAINT_A_EXEC + "]");
    apply("node-policy", "taints: [{key: example.com/a, effect: NoSchedule, propagation: Always}]");

    GenericKubernetesResource second = apply("renderer", "taints: [" + TAINT_A_EXEC + "]");

    JsonNode taints = templateSpec(second).path("taints");
    assertThat(taints).hasSize(2);
    JsonNode kept = taints.get(0);
    assertThat(kept.path("key").asText()).isEqualTo("example.com/a");
    assertThat(kept.path("effect").asText()).isEqualTo("NoSchedule");
    assertThat(kept.path("propagation").asText()).as("co-owned by node-policy").isEqualTo("Always");
    assertThat(kept.has("value")).as("value was owned by renderer alone").isFalse();
    assertThat(ownedItems(second, "renderer", "f:spec", "f:template", "f:spec", "f:taints"))
        .containsExactly(KEY_A_EXEC);
    assertThat(ownedItems(second, "node-policy", "f:spec", "f:template", "f:spec", "f:taints"))
        .containsExactly(KEY_A_SCHEDULE);
  }

  @Test
  void entryWhoseNonKeyFieldAnUpdaterOwnsKeepsItsKey() {
    apply("renderer", "readinessGates: [{conditionType: A, polarity: Negative}, {conditionType: B}]");
    Resources.in(client, Resources.MD, "default").withName("md1").patch(
        PatchContext.of(PatchType.JSON_MERGE), """
        {"spec":{"template":{"spec":{"readinessGates":[
          {"conditionType":"A","polarity":"Positive"},{"conditionType":"B"}]}}}}""");

    GenericKubernetesResource second = apply("renderer", "readinessGates: [{conditionType: B}]");

    JsonNode gates = templateSpec(second).path("readinessGates");
    assertThat(gates).hasSize(2);
    assertThat(gates.get(0).path("conditionType").asText()).as("the key stays with the entry").isEqualTo("A");
    assertThat(gates.get(0).path("polarity").asText()).isEqualTo("Positive");
    assertThat(ownedItems(second, "renderer", "f:spec", "f:template", "f:spec", "f:readinessGates"))
        .containsExactly("k:{\"conditionType\":\"B\"}");
  }
}

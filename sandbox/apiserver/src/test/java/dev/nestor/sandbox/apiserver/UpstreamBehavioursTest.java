package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

/** Behaviour 12: CAPI MachineDeployment replica defaulting and the immutable CAPK template / CDI DataVolume specs. */
class UpstreamBehavioursTest {
  private static final String MD = """
      apiVersion: cluster.x-k8s.io/v1beta2
      kind: MachineDeployment
      metadata:
        name: %s
        annotations: %s
      spec:
        clusterName: c1
        %s
        selector: {matchLabels: {pool: a}}
        template:
          metadata: {labels: {pool: a}}
          spec:
            clusterName: c1
            bootstrap: {configRef: {apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: t}}
            infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: KubevirtMachineTemplate, name: t}
      """;
  private static final String AUTOSCALED = "{cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size: \"2\", "
      + "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size: \"5\"}";

  private static long replicas(GenericKubernetesResource md) {
    return Json.valueOf(md).path("spec").path("replicas").asLong(-1);
  }

  @Test
  void machineDeploymentReplicasDefaultAndTemplatesAreImmutable() {
    try (ApiServer server = ApiServer.builder().start(); KubernetesClient client = server.newClient()) {
      var mds = Resources.in(client, Resources.MD, "default");
      assertThat(replicas(mds.resource(Resources.yaml(MD.formatted("plain", "{}", ""))).create())).isEqualTo(1);
      assertThat(replicas(mds.resource(Resources.yaml(MD.formatted("auto", AUTOSCALED, ""))).create()))
          .as("new autoscaled MD gets min").isEqualTo(2);

      mds.withName("auto").scale(9);
      GenericKubernetesResource applied = mds.resource(Resources.yaml(MD.formatted("auto", AUTOSCALED, "")))
          .fieldManager("renderer").serverSideApply();
      assertThat(replicas(applied)).as("an apply that leaves replicas out keeps the live value").isEqualTo(9);
      GenericKubernetesResource cleared = mds.withName("auto").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"replicas\":null}}");
      assertThat(replicas(cleared)).as("unset above max -> max").isEqualTo(5);
      mds.withName("auto").scale(1);
      assertThat(replicas(mds.withName("auto").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"replicas\":null}}"))).as("unset below min -> min").isEqualTo(2);
      mds.withName("auto").scale(3);
      assertThat(replicas(mds.withName("auto").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"replicas\":null}}"))).as("unset within range -> kept").isEqualTo(3);
      assertThat(replicas(mds.withName("plain").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"replicas\":null}}"))).as("no annotations -> 1").isEqualTo(1);

      var kmts = client.genericKubernetesResources("infrastructure.cluster.x-k8s.io/v1alpha1",
          "KubevirtMachineTemplate").inNamespace("default");
      kmts.resource(Resources.yaml("""
          apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1
          kind: KubevirtMachineTemplate
          metadata: {name: t}
          spec: {template: {spec: {virtualMachineBootstrapCheck: {checkStrategy: none}}}}
          """)).create();
      kmts.withName("t").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
      assertThatThrownBy(() -> kmts.withName("t").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"template\":{\"spec\":{\"virtualMachineBootstrapCheck\":{\"checkStrategy\":\"ssh\"}}}}}"))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getMessage()).contains("KubevirtMachineTemplateSpec is immutable");
          });

      var dvs = client.genericKubernetesResources("cdi.kubevirt.io/v1beta1", "DataVolume").inNamespace("default");
      dvs.resource(Resources.yaml("""
          apiVersion: cdi.kubevirt.io/v1beta1
          kind: DataVolume
          metadata: {name: disk}
          spec: {source: {blank: {}}, storage: {resources: {requests: {storage: 1Gi}}}}
          """)).create();
      assertThatThrownBy(() -> dvs.withName("disk").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"storage\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}}"))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }
  }
}

package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KubeVirt's addvolume / removevolume subresources update the VM spec and the running instance's volume status. */
class KubevirtHotplugTest {
  private static final ResourceDefinitionContext VMS = new ResourceDefinitionContext.Builder().withGroup("kubevirt.io")
      .withVersion("v1").withPlural("virtualmachines").withKind("VirtualMachine").withNamespaced(true).build();
  private static final ResourceDefinitionContext VMIS = new ResourceDefinitionContext.Builder()
      .withGroup("kubevirt.io").withVersion("v1").withPlural("virtualmachineinstances")
      .withKind("VirtualMachineInstance").withNamespaced(true).build();
  private static final String VM = """
      apiVersion: kubevirt.io/v1
      kind: VirtualMachine
      metadata: {name: w1}
      spec:
        runStrategy: Always
        template:
          spec:
            domain: {devices: {disks: [{name: root, disk: {bus: virtio}}]}}
            volumes: [{name: root, containerDisk: {image: img}}]
      """;
  private static final String VMI = """
      apiVersion: kubevirt.io/v1
      kind: VirtualMachineInstance
      metadata: {name: w1}
      spec:
        domain: {devices: {disks: [{name: root, disk: {bus: virtio}}]}}
        volumes: [{name: root, containerDisk: {image: img}}]
      """;

  @Test
  void hotPlugAndUnplug() throws Exception {
    try (ApiServer server = ApiServer.builder().start(); KubernetesClient client = server.newClient()) {
      Resources.in(client, VMS, "default")
          .resource(Resources.yaml(VM)).create();
      var vmis = Resources.in(client,
          VMIS, "default");
      vmis.resource(Resources.yaml(VMI)).create();

      Map<String, Object> add = Map.of("name", "pvc-1", "disk", Map.of("name", "pvc-1", "serial", "uid-1",
          "disk", Map.of("bus", "scsi")), "volumeSource", Map.of("dataVolume", Map.of("name", "pvc-1",
          "hotpluggable", true)));
      assertThat(put(client, server, "virtualmachines/w1/addvolume", add)).isEqualTo(202);
      assertThat(put(client, server, "virtualmachines/w1/addvolume", add)).as("twice").isEqualTo(409);

      JsonNode vm = Json.valueOf(Resources.in(client, VMS, "default").withName("w1").get());
      assertThat(vm.at("/spec/template/spec/domain/devices/disks/1/serial").asText()).isEqualTo("uid-1");
      assertThat(vm.at("/spec/template/spec/volumes/1/dataVolume/name").asText()).isEqualTo("pvc-1");
      GenericKubernetesResource vmi = vmis.withName("w1").get();
      assertThat(Json.valueOf(vmi).at("/status/volumeStatus/0/name").asText()).isEqualTo("pvc-1");
      assertThat(Json.valueOf(vmi).at("/status/volumeStatus/0/phase").asText()).isEqualTo("Ready");

      assertThat(put(client, server, "virtualmachines/w1/removevolume", Map.of("name", "pvc-1"))).isEqualTo(202);
      assertThat(Json.valueOf(vmis.withName("w1").get()).at("/status/volumeStatus").size()).isZero();
      assertThat(put(client, server, "virtualmachines/w1/removevolume", Map.of("name", "pvc-1")))
          .as("nothing left to remove").isEqualTo(400);
    }
  }

  private static int put(KubernetesClient client, ApiServer server, String path, Object body) throws Exception {
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
        .uri(server.url() + "/apis/subresources.kubevirt.io/v1/namespaces/default/" + path)
        .put("application/json", Serialization.asJson(body)).build();
    HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get();
    return response.code();
  }
}

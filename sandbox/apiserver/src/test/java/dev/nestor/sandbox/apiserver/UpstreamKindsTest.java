package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour 2: the minimal upstream kinds are registered, only in the versions the services must use. */
class UpstreamKindsTest {
  @Test
  void upstreamKindsAreServedInTheirCurrentVersionsOnly() throws Exception {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("cluster.x-k8s.io/v1beta2", "clusters,machinedeployments,machinesets,machines,machinehealthchecks"),
        Map.entry("controlplane.cluster.x-k8s.io/v1alpha2", "kamajicontrolplanes"),
        Map.entry("infrastructure.cluster.x-k8s.io/v1alpha1", "kubevirtclusters,kubevirtmachinetemplates,"
            + "kubevirtmachines"),
        Map.entry("bootstrap.cluster.x-k8s.io/v1beta2", "kubeadmconfigtemplates,kubeadmconfigs"),
        Map.entry("helm.toolkit.fluxcd.io/v2", "helmreleases"),
        Map.entry("source.toolkit.fluxcd.io/v1", "helmrepositories,ocirepositories"),
        Map.entry("cdi.kubevirt.io/v1beta1", "datavolumes"),
        Map.entry("kubevirt.io/v1", "virtualmachines,virtualmachineinstances"));
    try (ApiServer server = ApiServer.builder().start(); KubernetesClient client = server.newClient()) {
      expected.forEach((gv, plurals) -> {
        var names = client.getApiResources(gv).getResources().stream().map(r -> r.getName()).toList();
        assertThat(names).as(gv).contains(plurals.split(","));
      });
      var md = client.getApiResources("cluster.x-k8s.io/v1beta2").getResources();
      assertThat(md).anySatisfy(r -> {
        assertThat(r.getName()).isEqualTo("machinedeployments");
        assertThat(r.getShortNames()).containsExactly("md");
      });
      assertThat(md).extracting(r -> r.getName()).contains("machinedeployments/scale", "machinesets/scale",
          "clusters/status");
      assertThat(client.getApiResources("controlplane.cluster.x-k8s.io/v1alpha2").getResources())
          .extracting(r -> r.getName()).contains("kamajicontrolplanes/scale");
      assertThat(client.getApiResources("cluster.x-k8s.io/v1beta1")).as("v1beta1 is not served").isNull();
      HttpResponse<String> stray = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
          + "/apis/cluster.x-k8s.io/v1beta1/namespaces/default/clusters")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(stray.statusCode()).isEqualTo(404);
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("clusters.cluster.x-k8s.io").get())
          .isNotNull();
    }
    try (ApiServer tenant = ApiServer.builder().upstreamKinds(false).start();
        KubernetesClient client = tenant.newClient()) {
      assertThat(client.getApiGroups().getGroups()).noneMatch(g -> g.getName().endsWith("x-k8s.io"));
    }
  }
}

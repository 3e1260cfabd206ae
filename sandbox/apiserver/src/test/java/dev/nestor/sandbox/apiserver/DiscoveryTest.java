package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 4: discovery documents with short names, verbs and subresources; kubectl resolves short names. */
class DiscoveryTest {
  @TempDir
  Path dir;

  @Test
  void discoveryServesWhatKubectlNeeds() throws Exception {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).kubernetesVersion("v1.33.1").start();
        KubernetesClient client = server.newClient()) {
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.33.1");
      assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName())
          .contains("apps", "nestor.dev", "cluster.x-k8s.io", "apiextensions.k8s.io");
      var resources = client.getApiResources("nestor.dev/v1alpha1").getResources();
      APIResource tc = resources.stream().filter(r -> r.getName().equals("tenantclusters")).findFirst().orElseThrow();
      assertThat(tc.getShortNames()).containsExactly("tc");
      assertThat(tc.getSingularName()).isEqualTo("tenantcluster");
      assertThat(tc.getCategories()).containsExactly("nestor");
      assertThat(tc.getVerbs()).contains("create", "get", "list", "watch", "patch", "update", "delete");
      assertThat(resources).extracting(APIResource::getName).contains("tenantclusters/status", "tenantclusters/scale");
      assertThat(client.getApiResources("v1").getResources()).anyMatch(r -> r.getName().equals("namespaces")
          && r.getShortNames().contains("ns") && !r.getNamespaced());

      HttpClient http = HttpClient.newHttpClient();
      for (String p : new String[] {"/openapi/v2", "/openapi/v3"}) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + p)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(p).isEqualTo(404);
      }

      Assumptions.assumeTrue(Kubectl.available(), "kubectl not installed");
      Kubectl kubectl = new Kubectl(server, dir);
      Kubectl.Result apiResources = kubectl.run("api-resources");
      assertThat(apiResources.exit()).as(apiResources.err()).isZero();
      assertThat(apiResources.out()).contains("tenantclusters", "tc", "nestor.dev/v1alpha1", "machinedeployments",
          "md", "cluster.x-k8s.io/v1beta2");
      Kubectl.Result empty = kubectl.run("get", "tc", "-A");
      assertThat(empty.exit()).as(empty.err()).isZero();
      assertThat(empty.err()).contains("No resources found");
    }
  }
}

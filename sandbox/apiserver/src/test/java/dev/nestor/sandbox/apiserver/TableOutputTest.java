package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 5: Table answers with printer columns, so kubectl prints them (with NAMESPACE for -A). */
class TableOutputTest {
  @TempDir
  Path dir;

  @Test
  void tablesCarryPrinterColumnsAndKubectlPrintsThem() throws Exception {
    try (ApiServer server = ApiServer.builder().crds(TestCrds.own()).start();
        KubernetesClient client = server.newClient()) {
      Resources.namespace(client, "team-a");
      Resources.in(client, Resources.TC, "team-a").resource(Resources.tenantCluster("alpha", "v1.31.2")).create();
      var tc = Resources.in(client, Resources.TC, "team-a").withName("alpha").get();
      tc.setAdditionalProperty("status", Map.of("phase", "Ready", "nodes", "2/3"));
      Resources.in(client, Resources.TC, "team-a").resource(tc).updateStatus();

      HttpResponse<String> table = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
          + "/apis/nestor.dev/v1alpha1/tenantclusters?includeObject=Metadata"))
          .header("Accept", "application/json;as=Table;g=meta.k8s.io;v=v1").build(),
          HttpResponse.BodyHandlers.ofString());
      var body = Json.parse(table.body().getBytes());
      assertThat(body.path("kind").asText()).isEqualTo("Table");
      assertThat(body.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Phase",
          "Version", "Nodes", "Age");
      var row = body.path("rows").get(0);
      assertThat(row.path("cells").get(0).asText()).isEqualTo("alpha");
      assertThat(row.path("cells").get(1).asText()).isEqualTo("Ready");
      assertThat(row.path("cells").get(4).asText()).matches("\\d+s");
      assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
      assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("team-a");

      Assumptions.assumeTrue(Kubectl.available(), "kubectl not installed");
      Kubectl kubectl = new Kubectl(server, dir);
      Kubectl.Result all = kubectl.run("get", "tc", "-A");
      assertThat(all.exit()).as(all.err()).isZero();
      String[] lines = all.out().split("\n");
      assertThat(lines[0]).containsSubsequence("NAMESPACE", "NAME", "PHASE", "VERSION", "NODES", "AGE");
      assertThat(lines[1]).containsSubsequence("team-a", "alpha", "Ready", "v1.31.2", "2/3");
      Kubectl.Result one = kubectl.run("get", "tenantcluster", "alpha", "-n", "team-a", "-o", "wide");
      assertThat(one.out()).contains("alpha", "Ready");
      Kubectl.Result wait = kubectl.run("wait", "tc/alpha", "-n", "team-a", "--for=jsonpath={.status.phase}=Ready",
          "--timeout=10s");
      assertThat(wait.exit()).as("kubectl wait lists then watches over HTTP: %s", wait.err()).isZero();
      Kubectl.Result mds = kubectl.run("get", "md", "-A");
      assertThat(mds.exit()).as(mds.err()).isZero();
    }
  }
}

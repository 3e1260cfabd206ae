package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour 11: watches, their expiry, 410 Gone for stale versions, pagination and selectors. */
class WatchTest {
  private static ConfigMap cm(String name, String label) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("kind", label).endMetadata().build();
  }

  @Test
  void watchesExpireStaleVersionsAreGoneAndInformersRecover() throws Exception {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).watchExpiry(Duration.ofMillis(500),
        Duration.ofSeconds(1)).eventWindow(10).start(); KubernetesClient client = server.newClient()) {
      var cms = client.configMaps().inNamespace("default");
      List<String> events = new CopyOnWriteArrayList<>();
      var watch = cms.withLabel("kind", "watched").watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
          events.add(action + " " + resource.getMetadata().getName());
        }

        @Override
        public void onClose(WatcherException cause) {
          events.add("closed");
        }
      });
      String firstRv = cms.resource(cm("a", "watched")).create().getMetadata().getResourceVersion();
      cms.withName("a").edit(c -> {
        c.setData(java.util.Map.of("k", "v"));
        return c;
      });
      cms.withName("a").delete();
      await().untilAsserted(() -> assertThat(events).containsSubsequence("ADDED a", "MODIFIED a", "DELETED a"));

      HttpResponse<String> expired = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(
          server.url() + "/api/v1/namespaces/default/configmaps?watch=true")).build(),
          HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      assertThat(expired.statusCode()).as("the server ends a watch after its expiry").isEqualTo(200);

      for (int i = 0; i < 15; i++) {
        cms.resource(cm("filler-" + i, "other")).create();
      }
      CompletableFuture<WatcherException> gone = new CompletableFuture<>();
      cms.watch(new ListOptionsBuilder().withResourceVersion(firstRv).build(), new Watcher<ConfigMap>() {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
        }

        @Override
        public void onClose(WatcherException cause) {
          gone.complete(cause);
        }
      });
      WatcherException cause = gone.get(10, TimeUnit.SECONDS);
      assertThat(cause.isHttpGone()).as("a watch from a compacted resourceVersion is 410 Gone").isTrue();
      watch.close();

      ConfigMapList page1 = cms.withLabel("kind", "other").list(new ListOptionsBuilder().withLimit(4L).build());
      assertThat(page1.getItems()).hasSize(4);
      assertThat(page1.getMetadata().getRemainingItemCount()).isEqualTo(11L);
      ConfigMapList page2 = cms.withLabel("kind", "other").list(new ListOptionsBuilder().withLimit(20L)
          .withContinue(page1.getMetadata().getContinue()).build());
      assertThat(page2.getItems()).hasSize(11).doesNotContainAnyElementsOf(page1.getItems());
      assertThat(page2.getMetadata().getContinue()).isNull();
      assertThat(cms.withField("metadata.name", "filler-3").list().getItems()).singleElement()
          .satisfies(c -> assertThat(c.getMetadata().getName()).isEqualTo("filler-3"));
      for (int i = 0; i < 15; i++) {
        cms.withName("filler-" + i).delete();
      }
      try {
        cms.list(new ListOptionsBuilder().withLimit(4L).withContinue(page1.getMetadata().getContinue()).build());
        throw new AssertionError("expected 410");
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).isEqualTo(410);
        assertThat(e.getStatus().getReason()).isEqualTo("Expired");
      }
      try {
        cms.list(new ListOptionsBuilder().withLimit(4L).withContinue("bm90LWEtdG9rZW4").build());
        throw new AssertionError("expected 400 for a token the server never issued");
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).isEqualTo(400);
      }

      SharedIndexInformer<ConfigMap> informer = informed(client);
      cms.resource(cm("i-1", "informed")).create();
      await().until(() -> informer.getStore().list().size() == 1);
      long watches = server.watchesStarted();
      await().atMost(Duration.ofSeconds(10)).alias("the informer's watch expired and was re-established twice")
          .until(() -> server.watchesStarted() >= watches + 2);
      cms.resource(cm("i-2", "informed")).create();
      await().alias("after watch expiries").until(() -> informer.getStore().list().size() == 2);
      informer.close();
    }
  }

  @Test
  void anInformerRelistsAfterA410() {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).eventWindow(10).start();
        KubernetesClient client = server.newClient()) {
      var cms = client.configMaps().inNamespace("default");
      SharedIndexInformer<ConfigMap> informer = informed(client);
      cms.resource(cm("i-1", "informed")).create();
      await().until(() -> informer.getStore().list().size() == 1);
      for (int i = 0; i < 15; i++) {
        cms.resource(cm("noise-" + i, "other")).create();
      }
      server.dropWatches();
      await().atMost(Duration.ofSeconds(15)).until(() -> server.watchesGone() >= 1);
      cms.resource(cm("i-2", "informed")).create();
      await().atMost(Duration.ofSeconds(15)).alias("after a 410 and a relist").until(
          () -> informer.getStore().list().size() == 2);
      informer.close();
    }
  }

  private static SharedIndexInformer<ConfigMap> informed(KubernetesClient client) {
    return client.configMaps().inAnyNamespace().withLabel("kind", "informed").inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap obj) {
      }

      @Override
      public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
      }

      @Override
      public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
      }
    }, 0);
  }
}

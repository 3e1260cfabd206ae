package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-memory Kubernetes API server on 127.0.0.1 for tests and the sandbox: built-in kinds, CRDs with schema
 * validation and CEL, server-side apply, finalizers and garbage collection, and watches that expire like a real
 * server's. Start it with {@link #builder()}.
 */
public final class ApiServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final Deletion deletion;
  private final Store store;

  private ApiServer(Vertx vertx, HttpServer server, Deletion deletion, Store store) {
    this.vertx = vertx;
    this.server = server;
    this.deletion = deletion;
    this.store = store;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.actualPort();
  }

  /** A fabric8 client pointed at this server (close it when done). */
  public KubernetesClient newClient() {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withOauthToken("sandbox")
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Writes a kubeconfig (context {@code nestor-sandbox}, dummy token, namespace default) and returns the path. */
  public Path writeKubeconfig(Path file) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nestor-sandbox
          cluster:
            server: %s
        users:
        - name: nestor-sandbox
          user:
            token: sandbox
        contexts:
        - name: nestor-sandbox
          context:
            cluster: nestor-sandbox
            user: nestor-sandbox
            namespace: default
        current-context: nestor-sandbox
        """.formatted(url());
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cuts every open watch without a final bookmark, as a restarting server or a dropped connection would. */
  void dropWatches() {
    store.allWatchers().forEach(WatchSession::close);
  }

  /** How many watches have been started, reconnections included. */
  long watchesStarted() {
    return store.watchesStarted();
  }

  /** How many watches were answered 410 Gone because they asked for a compacted resourceVersion. */
  long watchesGone() {
    return store.watchesGone();
  }

  @Override
  public void close() {
    deletion.close();
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not stop the API server", e);
    }
  }

  /** Configures and starts an {@link ApiServer}. */
  public static final class Builder {
    private int port;
    private final List<Path> crds = new ArrayList<>();
    private Path upstreamSchemas;
    private boolean upstreamKinds = true;
    private String kubernetesVersion = "v1.33.0";
    private Duration watchMin = Duration.ofSeconds(30);
    private Duration watchMax = Duration.ofSeconds(300);
    private int eventWindow = 1000;

    private Builder() {
    }

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** CRD YAML files, or folders of them, to register at start; may be called several times. */
    public Builder crds(Path fileOrDir) {
      crds.add(fileOrDir);
      return this;
    }

    /** Folder of upstream CRDs whose schemas (defaults, pruning, validation, CEL) are enforced when present. */
    public Builder upstreamSchemas(Path dir) {
      this.upstreamSchemas = dir;
      return this;
    }

    /** Whether to register the minimal upstream kinds (CAPI, Kamaji, CAPK, Flux, CDI, KubeVirt); default true. */
    public Builder upstreamKinds(boolean on) {
      this.upstreamKinds = on;
      return this;
    }

    /** The {@code gitVersion} served on {@code /version}; default v1.33.0. */
    public Builder kubernetesVersion(String gitVersion) {
      this.kubernetesVersion = gitVersion;
      return this;
    }

    /** Each watch is closed by the server after a random time in [min, max]; default 30 s to 300 s. */
    public Builder watchExpiry(Duration min, Duration max) {
      this.watchMin = min;
      this.watchMax = max;
      return this;
    }

    /** How many past events per resource are retained for watches; older versions get 410 Gone. Default 1000. */
    public Builder eventWindow(int events) {
      this.eventWindow = events;
      return this;
    }

    public ApiServer start() {
      Map<String, StructuralSchema> schemas = new HashMap<>();
      if (upstreamSchemas != null && Files.isDirectory(upstreamSchemas)) {
        schemas.putAll(UpstreamSchemas.load(upstreamSchemas));
      }
      Registry registry = new Registry(schemas);
      Store store = new Store(eventWindow);
      Operations ops = new Operations(store, registry);
      Deletion deletion = new Deletion(ops);
      ResourceType crdType = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
      Operations.Options system = new Operations.Options("kube-apiserver", false, false);
      ops.create(registry.find("", "v1", "namespaces"), null, namespace("default"), system);
      ops.create(registry.find("", "v1", "namespaces"), null, namespace("kube-system"), system);
      List<JsonNode> crdObjects = new ArrayList<>();
      if (upstreamKinds) {
        crdObjects.addAll(CrdTypes.upstreamCrds());
      }
      for (Path p : crds) {
        crdObjects.addAll(CrdFiles.load(p));
      }
      for (JsonNode crd : crdObjects) {
        ObjectNode copy = crd.deepCopy();
        if (ops.store().get(crdType, null, Json.name(copy)) == null) {
          ops.create(crdType, null, copy, system);
        }
      }
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2)
          .setBlockedThreadCheckInterval(10_000));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
          .setMaxWebSocketFrameSize(16 * 1024 * 1024).setMaxWebSocketMessageSize(64 * 1024 * 1024)
          .setCompressionSupported(false));
      Watches watches = new Watches(vertx, store, watchMin, watchMax);
      Router router = new Router(ops, deletion, new Discovery(registry, kubernetesVersion), watches,
          () -> "127.0.0.1:" + server.actualPort());
      server.webSocketHandler(router::handleWebSocket);
      server.requestHandler(req -> req.bodyHandler(body -> router.handle(req, body)));
      try {
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        vertx.close();
        throw new IllegalStateException("interrupted while starting the API server", e);
      } catch (ExecutionException | TimeoutException e) {
        vertx.close();
        deletion.close();
        throw new IllegalStateException("could not listen on 127.0.0.1:" + port, e);
      }
      return new ApiServer(vertx, server, deletion, store);
    }

    private static ObjectNode namespace(String name) {
      ObjectNode ns = Json.object();
      ns.put("apiVersion", "v1");
      ns.put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      return ns;
    }
  }
}

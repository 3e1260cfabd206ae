package dev.nestor.sandbox.platform;

import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.sandbox.flux.FluxTimings;
import dev.nestor.sandbox.flux.HelmControllerSimulator;
import dev.nestor.sandbox.simulator.SimulationTimings;
import dev.nestor.sandbox.simulator.Simulator;
import dev.nestor.sandbox.testing.KafkaBroker;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox in one JVM: the management API server, the tenants, a real Kafka broker with Nestor's topics, the
 * simulated upstream controllers, and the four services as child processes configured only through their normal keys.
 * It stays up until stopped (SIGTERM or Ctrl-C), then stops everything it started, in order.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** Tenants onboarded in every sandbox (DESIGN §3). */
    static final List<String> TENANTS = List.of("acme", "globex");
    static final String TENANT_LABEL = "nestor.dev/tenant";
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);

    private final PlatformOptions options;
    private final PidFile pids;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ServiceProcess> services = new ArrayList<>();
    private ApiServer apiServer;
    private KubernetesClient client;
    private KafkaBroker broker;
    private Simulator simulator;
    private HelmControllerSimulator helmController;

    public Platform(PlatformOptions options) {
        this.options = options;
        this.pids = new PidFile(options.stateDir().resolve("pids"));
    }

    public static void main(String[] args) {
        PlatformOptions options;
        try {
            options = PlatformOptions.parse(Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Platform platform = new Platform(options);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "nestor-shutdown"));
        try {
            System.out.println(platform.start());
        } catch (RuntimeException e) {
            LOG.error("The sandbox did not start: {}", e.getMessage());
            LOG.debug("Start failure", e);
            // The shutdown hook stops whatever did start.
            System.exit(1);
        }
        // The main thread must outlive the children: their parent-death signal is tied to it.
        platform.awaitClose();
    }

    /**
     * Starts every part and waits until each answers its health check.
     *
     * @return the summary for the user (REST URL, Kafka address, kubeconfig)
     */
    public String start() {
        prepareStateDir();
        // Kept across runs (prepareStateDir leaves jwt/ alone), so tokens printed earlier stay valid.
        DevTokens tokens = DevTokens.in(options.stateDir());
        Path kubeconfig = options.kubeconfig();
        ApiServer.Builder builder = ApiServer.builder().port(options.apiPort()).upstreamKinds(true);
        Path crds = options.root().resolve("deploy").resolve("crds");
        if (Files.isDirectory(crds)) {
            builder.crds(crds);
        }
        options.upstreamCrds().ifPresentOrElse(builder::upstreamSchemas,
                () -> LOG.warn("No upstream CRD schemas found (set NESTOR_UPSTREAM_CRDS): upstream kinds are served"
                        + " without validation"));
        apiServer = builder.start();
        apiServer.writeKubeconfig(kubeconfig);
        client = apiServer.newClient();
        LOG.info("Management API server at {}", apiServer.url());
        onboardTenants();

        broker = KafkaBroker.start(options.kafkaPort(), options.stateDir().resolve("kafka"));
        pids.add(broker.pid(), "kafka-broker");
        broker.ensureTopics();
        LOG.info("Kafka broker at {}", broker.bootstrapServers());

        simulator = new Simulator(apiServer.newClient(),
                SimulationTimings.defaults().scaled(options.timingScale()));
        simulator.start();
        helmController = new HelmControllerSimulator(apiServer.newClient(),
                FluxTimings.defaults().scaled(options.timingScale()));
        helmController.start();

        startServices(kubeconfig, tokens.publicKey());
        HealthChecks.awaitAll(options.startupTimeout(), apiServer.url() + "/version", broker, services,
                ServiceSpec.ALL);
        String summary = summary(tokens.publicKey());
        write(options.stateDir().resolve("ready"), summary);
        return summary;
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitClose() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the services, the simulated controllers, the broker and the API server, in that order. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClose();
            return;
        }
        try {
            delete(options.stateDir().resolve("ready"));
            // SIGTERM to all first, so they shut down in parallel, then wait for each.
            services.forEach(service -> {
                if (service.isAlive()) {
                    ProcessHandle.of(service.pid()).ifPresent(ProcessHandle::destroy);
                }
            });
            services.forEach(service -> service.stop(SERVICE_STOP_GRACE));
            if (helmController != null) {
                helmController.close();
            }
            if (simulator != null) {
                simulator.close();
            }
            if (client != null) {
                client.close();
            }
            if (broker != null) {
                broker.close();
                pids.remove(broker.pid());
            }
            if (apiServer != null) {
                apiServer.close();
            }
            pids.delete();
            delete(options.stateDir().resolve("platform.pid"));
            LOG.info("Nestor sandbox stopped");
        } finally {
            stopped.countDown();
        }
    }

    private void prepareStateDir() {
        Path state = options.stateDir();
        try {
            Files.createDirectories(options.logDir());
            Path pidFile = state.resolve("platform.pid");
            if (Files.isRegularFile(pidFile)) {
                long previous = Long.parseLong(Files.readString(pidFile).trim());
                if (previous != ProcessHandle.current().pid()
                        && ProcessHandle.of(previous).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("the sandbox is already running (pid " + previous + ")");
                }
            }
            write(pidFile, Long.toString(ProcessHandle.current().pid()));
            delete(state.resolve("ready"));
            StrayProcesses.reap(PidFile.read(state.resolve("pids")));
            // Each run starts clean: the API server keeps nothing, so neither may Kafka nor the logs.
            deleteTree(state.resolve("kafka"));
            try (Stream<Path> logs = Files.list(options.logDir())) {
                for (Path log : logs.toList()) {
                    Files.deleteIfExists(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + state, e);
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring a malformed {}", state.resolve("platform.pid"));
        }
    }

    private void onboardTenants() {
        for (String tenant : TENANTS) {
            client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName("tenant-" + tenant).withLabels(Map.of(TENANT_LABEL, tenant))
                    .endMetadata().build())
                    .fieldManager("nestor-sandbox").forceConflicts().serverSideApply();
        }
        LOG.info("Tenants onboarded: {}", TENANTS);
    }

    private void startServices(Path kubeconfig, Path tokenKey) {
        for (ServiceSpec spec : options.services()) {
            Path jar = spec.jar(options.root());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run ./mvnw -B install -DskipTests");
            }
            // MP_JWT_VERIFY_PUBLICKEY_LOCATION: the key cluster-service verifies bearer tokens with (DESIGN §11).
            Map<String, String> environment = Map.of(
                    "KUBECONFIG", kubeconfig.toString(),
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "QUARKUS_HTTP_PORT", Integer.toString(spec.port()),
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokenKey.toString());
            List<String> command = List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xmx256m",
                    "-jar", jar.toString());
            services.add(ServiceProcess.start(spec.name(), command, environment,
                    options.logDir().resolve(spec.name() + ".log"), pids));
            LOG.info("Started {} (pid {}) on port {}", spec.name(), services.get(services.size() - 1).pid(),
                    spec.port());
        }
    }

    private String summary(Path tokenKey) {
        String rest = options.services().stream().filter(s -> s.name().equals("cluster-service")).findFirst()
                .map(s -> "http://127.0.0.1:" + s.port() + "/api/v1/tenants/{tenant}/clusters")
                .orElse("(cluster-service not started)");
        return """
                Nestor sandbox is up
                  REST API    %s   (tenants: %s)
                  Tokens      ./nestor token <tenant>, ./nestor token --admin   (key %s)
                  Kafka       %s
                  Kubeconfig  %s
                  Logs        %s
                """.formatted(rest, String.join(", ", TENANTS), tokenKey, broker.bootstrapServers(), options.kubeconfig(),
                options.logDir());
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

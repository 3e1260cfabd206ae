package dev.nestor.sandbox.e2e;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.RestAssured;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox as the end-to-end suite runs it: the platform launcher as one process (API server,
 * broker, simulated controllers, satellites) and cluster-service as another, so the suite can
 * {@code kill -9} and restart it. Everything runs on free ports with its state under target/.
 */
final class Sandbox implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    final Path root = ReactorPaths.root();
    final Path state;
    final int apiPort = freePort();
    final int kafkaPort = freePort();
    final int restPort = freePort();
    private Process platform;
    private final java.util.Map<String, Process> replicas = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, Integer> replicaPorts = new java.util.HashMap<>();
    private int clusterServiceStarts;
    /** Extra configuration (environment) for the cluster-service replicas a test starts. */
    final java.util.Map<String, String> clusterServiceEnv = new java.util.LinkedHashMap<>();

    Sandbox(Path state) {
        this.state = state;
    }

    String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    Path kubeconfig() {
        return state.resolve("kubeconfig");
    }

    KubernetesClient client() {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classpath of the platform launcher and its tools. */
    String platformClasspath() throws IOException {
        Path platformDir = root.resolve("sandbox").resolve("platform").resolve("target");
        return platformDir.resolve("classes") + ":" + Files.readString(platformDir.resolve("platform.classpath")).trim();
    }

    /** The public key the platform generated, which cluster-service verifies bearer tokens with. */
    Path tokenKey() {
        return state.resolve("jwt").resolve("public.pem");
    }

    /** A development token, as {@code ./nestor token <tenant>} (or {@code --admin}) prints it, from the platform's key. */
    String token(String tenantOrAdmin) throws Exception {
        Process tool = new ProcessBuilder(java(), "-XX:+UseSerialGC", "-cp", platformClasspath(),
                "dev.nestor.sandbox.platform.DevTokens", "--state-dir", state.toString(), tenantOrAdmin)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(tool.getInputStream().readAllBytes()).trim();
        if (!tool.waitFor(30, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            throw new IllegalStateException("DevTokens " + tenantOrAdmin + " failed");
        }
        return out;
    }

    void start() throws Exception {
        start("addon-service,autoscaler-bridge,csi-bridge");
    }

    /** Starts the platform with the given services (comma-separated module names) and then cluster-service. */
    void start(String services) throws Exception {
        Files.createDirectories(state);
        String cp = platformClasspath();
        platform = new ProcessBuilder(java(), "-XX:+UseSerialGC", "-Xmx512m", "-cp", cp,
                "dev.nestor.sandbox.platform.Platform", "--root", root.toString(), "--state-dir", state.toString(),
                "--api-port", String.valueOf(apiPort), "--kafka-port", String.valueOf(kafkaPort),
                "--services", services)
                .redirectErrorStream(true).redirectOutput(state.resolve("platform.out").toFile()).start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!Files.exists(state.resolve("ready"))) {
            if (!platform.isAlive()) {
                throw new IllegalStateException("the platform exited: " + tail(state.resolve("platform.out")));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the platform is not ready after " + START_TIMEOUT + ": "
                        + tail(state.resolve("platform.out")));
            }
            Thread.sleep(250);
        }
        startClusterService();
    }

    /** Starts the packaged cluster-service, configured only through its normal keys, and waits until ready. */
    void startClusterService() throws Exception {
        startReplica("replica-a", restPort);
    }

    /**
     * Starts one cluster-service replica named {@code name} (its HOSTNAME, so the Lease's holder
     * identity tells which process leads) serving REST on {@code port}.
     */
    void startReplica(String name, int port) throws Exception {
        Path log = state.resolve("cluster-service-" + name + "-" + (++clusterServiceStarts) + ".log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-XX:+UseSerialGC", "-Xmx256m", "-jar",
                root.resolve("cluster-service").resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig().toString());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("HOSTNAME", name);
        pb.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokenKey().toString());
        pb.environment().putAll(clusterServiceEnv);
        Process clusterService = pb.start();
        replicas.put(name, clusterService);
        replicaPorts.put(name, port);
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            if (!clusterService.isAlive()) {
                throw new IllegalStateException("cluster-service exited: " + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("cluster-service is not ready: " + tail(log));
            }
            Thread.sleep(250);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, exactly a crash. */
    void killClusterService() throws InterruptedException {
        kill("replica-a");
    }

    /** SIGKILL of one replica. */
    void kill(String name) throws InterruptedException {
        Process p = replicas.get(name);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive(String name) {
        return replicas.containsKey(name) && replicas.get(name).isAlive();
    }

    long brokerPid() throws IOException {
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[1].equals("kafka-broker")) {
                return Long.parseLong(parts[0]);
            }
        }
        throw new IllegalStateException("no kafka-broker in " + state.resolve("pids"));
    }

    void signalBroker(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(brokerPid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }

    /** Every process the platform recorded (broker, services), for the leak check after close. */
    List<Long> recordedPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        Path file = state.resolve("pids");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 1 && parts[0].matches("\\d+")) {
                    pids.add(Long.parseLong(parts[0]));
                }
            }
        }
        return pids;
    }

    /**
     * From now on RestAssured calls cluster-service as tenant {@code tenant}, with the token {@code ./nestor token}
     * would print (until {@link #close()}); returns that token.
     */
    String restAsTenant(String tenant) throws Exception {
        String token = token(tenant);
        RestAssured.baseURI = restUrl();
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token)
                .build();
        return token;
    }

    @Override
    public void close() throws Exception {
        RestAssured.requestSpecification = null;
        for (Process p : replicas.values()) {
            p.destroy();
        }
        for (Process p : replicas.values()) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (platform != null) {
            platform.destroy();
            if (!platform.waitFor(90, TimeUnit.SECONDS)) {
                platform.destroyForcibly();
            }
        }
    }

    boolean platformAlive() {
        return platform != null && platform.isAlive();
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

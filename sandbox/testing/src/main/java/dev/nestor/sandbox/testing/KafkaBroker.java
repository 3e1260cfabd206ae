package dev.nestor.sandbox.testing;

import dev.nestor.events.TopicInstaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in its own JVM, from the Maven Central jars
 * that module {@code sandbox-kafka-broker} resolves. Loopback only, topic auto-creation off.
 *
 * <p>The broker exits when its parent process dies, however it dies (see {@link BrokerMain}). Its data lives in the
 * directory given to {@link #start}, which survives {@link #close()}: starting again on the same directory keeps
 * topics and records.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    /** Fixed so that a data directory formatted once can be restarted. */
    static final String CLUSTER_ID = "LMnTteliTD6_PYD160WP8w";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int ATTEMPTS_ON_EPHEMERAL_PORTS = 3;

    private final Process process;
    private final int port;
    private final Path dataDir;
    private volatile boolean closed;

    private KafkaBroker(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker and waits until it answers an admin request.
     *
     * @param port the client port on 127.0.0.1, 0 for a free one
     * @param dataDir where the configuration, the log ({@code broker.log}) and the data go; created when missing
     * @throws IllegalStateException when the broker does not become ready (the message holds the end of its log)
     */
    public static KafkaBroker start(int port, Path dataDir) {
        String classpath = KafkaClasspath.forBroker();
        int attempts = port == 0 ? ATTEMPTS_ON_EPHEMERAL_PORTS : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return launch(classpath, port == 0 ? freePort() : port, dataDir);
            } catch (BrokerDiedException e) {
                // Another process may have taken a port we picked before the broker bound it.
                if (attempt >= attempts) {
                    throw new IllegalStateException(e.getMessage());
                }
                LOG.warn("Kafka broker failed to start (attempt {} of {}), retrying on other ports", attempt,
                        attempts);
            }
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client port. */
    public int port() {
        return port;
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** The directory holding {@code server.properties}, {@code broker.log} and the data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Freezes the broker (SIGSTOP), e.g. to test how a client copes with an unresponsive broker. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused broker run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /** Creates every topic of {@code Topics.all()} that is missing, with replication factor 1. */
    public List<String> ensureTopics() {
        try (Admin admin = admin()) {
            return TopicInstaller.ensure(admin, (short) 1);
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Stops the broker (a clean shutdown, forced after 20 s) and waits until its process is gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive()) {
            // A stopped process only handles SIGTERM once it runs again.
            signal("CONT");
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.warn("Kafka broker {} did not stop within {} s, killing it", pid(), STOP_TIMEOUT.toSeconds());
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly();
    }

    private static KafkaBroker launch(String classpath, int port, Path dataDir) throws BrokerDiedException {
        Path properties = writeConfiguration(port, freePort(), dataDir);
        Path log = dataDir.resolve("broker.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=log4j2-broker.properties",
                "-cp", classpath,
                BrokerMain.class.getName(), BrokerMain.WATCH_STDIN, properties.toString(), CLUSTER_ID)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Standard input stays a pipe held by this JVM: its end-of-file tells the broker that we are gone.
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
        }
        KafkaBroker broker = new KafkaBroker(process, port, dataDir);
        long started = System.nanoTime();
        try {
            broker.awaitReady(log);
        } catch (BrokerDiedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker {} ready on {} in {} ms (data in {})", broker.pid(), broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
        return broker;
    }

    private void awaitReady(Path log) throws BrokerDiedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            // The admin client is created only once the port is open: it would log every refused connection.
            while (!portOpen()) {
                awaitAlive(log, deadline);
            }
            try (Admin admin = admin()) {
                while (!clusterAnswers(admin)) {
                    awaitAlive(log, deadline);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private void awaitAlive(Path log, long deadline) throws BrokerDiedException, InterruptedException {
        if (!process.isAlive()) {
            throw new BrokerDiedException("Kafka broker exited with code " + process.exitValue()
                    + " while starting; end of " + log + ":\n" + tail(log));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " not ready within "
                    + READY_TIMEOUT.toSeconds() + " s; end of " + log + ":\n" + tail(log));
        }
        Thread.sleep(100);
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean clusterAnswers(Admin admin) throws InterruptedException {
        try {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static Path writeConfiguration(int port, int controllerPort, Path dataDir) {
        String config = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                auto.create.topics.enable=false
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=4
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, dataDir.resolve("data").toAbsolutePath());
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            Files.writeString(file, config, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration into " + dataDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to the Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the Kafka broker", e);
        }
    }

    private void closeQuietly() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The broker is gone; its end of the pipe may already be closed.
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The broker process ended while starting. */
    private static final class BrokerDiedException extends Exception {
        private static final long serialVersionUID = 1L;

        BrokerDiedException(String message) {
            super(message);
        }
    }
}

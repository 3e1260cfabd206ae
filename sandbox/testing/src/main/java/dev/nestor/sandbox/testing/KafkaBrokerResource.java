package dev.nestor.sandbox.testing;

import dev.nestor.events.TopicInstaller;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Quarkus test resource giving a test a real Kafka broker with every Nestor topic created. Use it with
 * {@code @WithTestResource(KafkaBrokerResource.class)}.
 *
 * <p>When the environment variable {@value #BOOTSTRAP_ENV} is set (CI, a running sandbox), that broker is used and
 * left running; otherwise a {@link KafkaBroker} is started on a free port with its data under {@code target/}, and
 * stopped and deleted afterwards.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** Names an existing broker to use instead of starting one. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private final Map<String, String> environment;
    private KafkaBroker broker;
    private Path dataDir;

    /** The resource as Quarkus instantiates it: reading the process environment. */
    public KafkaBrokerResource() {
        this(System.getenv());
    }

    KafkaBrokerResource(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = environment.get(BOOTSTRAP_ENV);
        if (bootstrap == null || bootstrap.isBlank()) {
            dataDir = temporaryDataDir();
            broker = KafkaBroker.start(0, dataDir);
            current = broker;
            bootstrap = broker.bootstrapServers();
        }
        // A shared broker may have several nodes: the replication factor is at most the node count.
        TopicInstaller.ensure(bootstrap);
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
    }

    private static volatile KafkaBroker current;

    /** The broker the running test class started (to pause or resume it), or empty when reusing one. */
    public static java.util.Optional<KafkaBroker> current() {
        return java.util.Optional.ofNullable(current);
    }

    @Override
    public void stop() {
        current = null;
        if (broker != null) {
            broker.close();
            broker = null;
            deleteRecursively(dataDir);
        }
    }

    /** The broker this resource started, {@code null} when it reuses one. */
    KafkaBroker broker() {
        return broker;
    }

    private static Path temporaryDataDir() {
        try {
            Path target = Path.of("target");
            return Files.isDirectory(target)
                    ? Files.createTempDirectory(target, "kafka-")
                    : Files.createTempDirectory("nestor-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for the Kafka broker", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker data in " + dir, e);
        }
    }
}

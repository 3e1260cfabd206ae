package dev.nestor.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Nestor's topics through the admin client where they are missing, and refuses topics that exist with the
 * wrong shape (partition count, cleanup policy): those would silently break per-cluster ordering or compaction.
 */
public final class TopicInstaller {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicInstaller() {
    }

    /**
     * Ensures every topic of {@link Topics#all()} exists.
     *
     * @param replicationFactor used for the topics this call creates (1 on a single broker)
     * @return the names of the topics this call created
     * @throws IllegalStateException when an existing topic does not match its specification, or Kafka fails
     */
    public static List<String> ensure(Admin admin, short replicationFactor) {
        return ensure(admin, Topics.all(), replicationFactor);
    }

    /**
     * Connects to {@code bootstrapServers} and ensures every topic, with a replication factor of at
     * most the broker count. Only strings cross this call, so a caller loaded by another class
     * loader (a Quarkus test resource) can use it without sharing Kafka's {@code Admin} type.
     */
    public static List<String> ensure(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int nodes = await(admin.describeCluster().nodes(), "describe the cluster").size();
            return ensure(admin, (short) Math.min(Topics.REPLICATION_FACTOR, nodes));
        }
    }

    /** Ensures the given topics exist; see {@link #ensure(Admin, short)}. */
    public static List<String> ensure(Admin admin, Collection<TopicSpec> specs, short replicationFactor) {
        Map<String, TopicSpec> wanted = new LinkedHashMap<>();
        specs.forEach(spec -> wanted.put(spec.name(), spec.withReplicationFactor(replicationFactor)));

        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<NewTopic> missing = wanted.values().stream()
                .filter(spec -> !existing.contains(spec.name()))
                .map(spec -> new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(spec.configs()))
                .toList();

        List<String> created = new ArrayList<>();
        List<String> raced = new ArrayList<>();
        if (!missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    await(result.getValue(), "create topic " + result.getKey());
                    created.add(result.getKey());
                } catch (IllegalStateException e) {
                    // Another service created it between our list and our create: verify it like any other.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    raced.add(result.getKey());
                }
            }
        }

        List<String> toVerify = wanted.keySet().stream()
                .filter(name -> existing.contains(name) || raced.contains(name))
                .toList();
        verify(admin, toVerify.stream().map(wanted::get).toList());
        awaitLeaders(admin, created);
        return List.copyOf(created);
    }

    /**
     * Waits until the leader of every partition of the new topics serves requests, so that a producer right after
     * this call does not start with a round of {@code NOT_LEADER_OR_FOLLOWER} retries. The admin client retries
     * the offset lookup until the partition is served.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(topics).allTopicNames(), "describe new topics");
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        descriptions.values().forEach(topic -> topic.partitions().forEach(
                p -> partitions.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
        await(admin.listOffsets(partitions).all(), "reach the leaders of the new topics");
    }

    private static void verify(Admin admin, List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(names).allTopicNames(), "describe topics");
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all(),
                "describe topic configs");

        List<String> problems = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                problems.add("topic " + spec.name() + " has " + partitions + " partitions, Nestor needs exactly "
                        + spec.partitions() + " (partition counts are fixed: delete and re-create the topic)");
            }
            String wantedPolicy = spec.configs().get(Topics.CLEANUP_POLICY);
            ConfigEntry policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                    .get(Topics.CLEANUP_POLICY);
            String actualPolicy = policy == null ? "delete" : policy.value();
            if (wantedPolicy != null && !wantedPolicy.equals(actualPolicy)) {
                problems.add("topic " + spec.name() + " has cleanup.policy=" + actualPolicy + ", Nestor needs "
                        + wantedPolicy);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.stream().collect(Collectors.joining("; ")));
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s to " + what, e);
        }
    }
}

package dev.nestor.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kafka/topics.yaml} (Strimzi KafkaTopics) and {@code deploy/kafka/users.yaml} (KafkaUsers with their
 * ACLs) are generated from {@link Topics}, {@link ConsumerGroups} and {@link EventTypes}; this test fails when the
 * committed files drift from the specification. Regenerate with {@code -Dnestor.deploy.update=true}.
 */
class DeployTopicsTest {

    static final Path TOPICS = Path.of("..", "deploy", "kafka", "topics.yaml");
    static final Path USERS = Path.of("..", "deploy", "kafka", "users.yaml");
    static final String REGENERATE = "./mvnw -B -o -q test -pl events -Dtest=DeployTopicsTest -Dnestor.deploy.update=true";

    static final String KAFKA_NAMESPACE = "kafka";
    static final String KAFKA_CLUSTER = "nestor";
    static final String INTEGRATOR = "nestor-integrator";

    static final String READ = "Read";
    static final String WRITE = "Write";
    static final String DESCRIBE = "Describe";
    private static final List<String> OPERATION_ORDER = List.of(READ, WRITE, DESCRIBE);

    /** One Strimzi ACL rule: operations on a topic or group, by literal name or prefix. */
    record Acl(String type, String name, String patternType, Set<String> operations) {
    }

    @Test
    void committedTopicsMatchTheSpecification() throws IOException {
        assertCommitted(TOPICS, renderTopics());
    }

    @Test
    void committedUsersMatchTheSpecification() throws IOException {
        assertCommitted(USERS, renderUsers());
    }

    @Test
    void onlyTheProducerOfAnEventTopicMayWriteIt() {
        Map<String, List<Acl>> users = users();
        for (TopicSpec topic : Topics.eventTopics()) {
            assertThat(writers(users, topic.name())).as("writers of %s", topic.name())
                    .containsExactly(producerOf(topic.name()));
        }
        assertThat(writers(users, Topics.CLUSTER_LIFECYCLE)).containsExactly(ConsumerGroups.CLUSTER_SERVICE);
        assertThat(writers(users, Topics.CLUSTER_STATE)).containsExactly(ConsumerGroups.CLUSTER_SERVICE);
        assertThat(writers(users, Topics.ADDONS)).containsExactly(ConsumerGroups.ADDON_SERVICE);
        assertThat(writers(users, Topics.AUTOSCALING)).containsExactly(ConsumerGroups.AUTOSCALER_BRIDGE);
        assertThat(writers(users, Topics.BRIDGES)).containsExactly(ConsumerGroups.CSI_BRIDGE);
    }

    @Test
    void eachServiceReadsWhatItConsumesWithItsOwnGroupAndWritesOnlyItsOwnDeadLetters() {
        Map<String, List<Acl>> users = users();
        for (String group : ConsumerGroups.all()) {
            List<Acl> acls = users.get(group);
            assertThat(acls).contains(new Acl("group", group, "literal", Set.of(READ)));
            assertThat(acls).filteredOn(acl -> acl.type().equals("group")).hasSize(1);
            List<String> read = new ArrayList<>(Topics.consumedBy(group));
            read.addAll(Topics.readWithoutGroupBy(group));
            assertThat(acls).filteredOn(acl -> acl.operations().contains(READ) && acl.type().equals("topic"))
                    .extracting(Acl::name).containsExactlyInAnyOrderElementsOf(read);
            for (String topic : Topics.consumedBy(group)) {
                assertThat(writers(users, Topics.dlq(topic, group))).containsExactly(group);
            }
        }
    }

    @Test
    void theIntegratorReadsEveryTopicAndWritesNothing() {
        List<Acl> acls = users().get(INTEGRATOR);

        assertThat(acls).filteredOn(acl -> acl.type().equals("topic")).extracting(Acl::name)
                .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(TopicSpec::name).toList());
        assertThat(acls).allSatisfy(acl -> assertThat(acl.operations()).doesNotContain(WRITE));
        assertThat(acls).contains(new Acl("group", INTEGRATOR, "prefix", Set.of(READ)));
    }

    @Test
    void theStateTopicIsRenderedCompactedWithTombstonesKeptAWeek() {
        assertThat(renderTopics()).contains("""
                  name: nestor.cluster.state
                  namespace: kafka
                  labels:
                    strimzi.io/cluster: nestor
                spec:
                  topicName: nestor.cluster.state
                  partitions: 12
                  replicas: 3
                  config:
                    cleanup.policy: "compact"
                    delete.retention.ms: "604800000"
                """);
    }

    private static void assertCommitted(Path committed, String rendered) throws IOException {
        if (Boolean.getBoolean("nestor.deploy.update")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, rendered);
        }
        assertThat(committed).as("missing: run %s", REGENERATE).exists();
        assertThat(Files.readString(committed)).as("%s is stale: run %s", committed, REGENERATE).isEqualTo(rendered);
    }

    static String renderTopics() {
        StringBuilder out = new StringBuilder(header("Strimzi KafkaTopics for every topic of dev.nestor.events.Topics "
                + "(event topics and dead-letter topics)."));
        List<TopicSpec> topics = Topics.all().stream().sorted(Comparator.comparing(TopicSpec::name)).toList();
        for (TopicSpec topic : topics) {
            separate(out, topic != topics.get(0));
            metadata(out, "KafkaTopic", topic.name());
            out.append("spec:\n")
                    .append("  topicName: ").append(topic.name()).append('\n')
                    .append("  partitions: ").append(topic.partitions()).append('\n')
                    .append("  replicas: ").append(topic.replicationFactor()).append('\n')
                    .append("  config:\n");
            new TreeMap<>(topic.configs()).forEach((key, value) ->
                    out.append("    ").append(key).append(": \"").append(value).append("\"\n"));
        }
        return out.toString();
    }

    static String renderUsers() {
        StringBuilder out = new StringBuilder(header("""
                Strimzi KafkaUsers (TLS client certificates) and their ACLs, one user per service plus a read-only
                integrator. Only the producer of an event topic writes it (cluster-service: nestor.cluster.lifecycle and
                nestor.cluster.state); each service reads the topics it consumes with its own group and writes only
                its own dead-letter topics <topic>.<group>.dlq (autoscaler-bridge also re-reads nestor.autoscaling
                without a group, for its scaling history). Integrators consume with groups named nestor-integrator*."""));
        Map<String, List<Acl>> users = users();
        boolean first = true;
        for (Map.Entry<String, List<Acl>> user : users.entrySet()) {
            separate(out, !first);
            first = false;
            metadata(out, "KafkaUser", user.getKey());
            out.append("spec:\n")
                    .append("  authentication:\n")
                    .append("    type: tls\n")
                    .append("  authorization:\n")
                    .append("    type: simple\n")
                    .append("    acls:\n");
            for (Acl acl : user.getValue()) {
                out.append("      - resource:\n")
                        .append("          type: ").append(acl.type()).append('\n')
                        .append("          name: ").append(acl.name()).append('\n')
                        .append("          patternType: ").append(acl.patternType()).append('\n')
                        .append("        operations:\n");
                acl.operations().forEach(op -> out.append("          - ").append(op).append('\n'));
            }
        }
        return out.toString();
    }

    /** The ACLs of every user, users and rules sorted by name so the rendering is stable. */
    static Map<String, List<Acl>> users() {
        Map<String, List<Acl>> users = new TreeMap<>();
        for (String group : ConsumerGroups.all()) {
            Map<String, Set<String>> topics = new TreeMap<>();
            Topics.eventTopics().stream().map(TopicSpec::name).filter(t -> producerOf(t).equals(group))
                    .forEach(t -> grant(topics, t, WRITE, DESCRIBE));
            for (String consumed : Topics.consumedBy(group)) {
                grant(topics, consumed, READ, DESCRIBE);
                grant(topics, Topics.dlq(consumed, group), WRITE, DESCRIBE);
            }
            Topics.readWithoutGroupBy(group).forEach(t -> grant(topics, t, READ, DESCRIBE));
            List<Acl> acls = new ArrayList<>(topicAcls(topics));
            acls.add(new Acl("group", group, "literal", Set.of(READ)));
            users.put(group, List.copyOf(acls));
        }
        Map<String, Set<String>> everything = new TreeMap<>();
        Topics.all().forEach(t -> grant(everything, t.name(), READ, DESCRIBE));
        List<Acl> integrator = new ArrayList<>(topicAcls(everything));
        integrator.add(new Acl("group", INTEGRATOR, "prefix", Set.of(READ)));
        users.put(INTEGRATOR, List.copyOf(integrator));
        return users;
    }

    /** The service that produces an event topic, named like its user and group: {@code /nestor/x} → {@code nestor-x}. */
    static String producerOf(String topic) {
        TreeSet<String> sources = new TreeSet<>();
        EventTypes.all().stream().map(EventTypes::route).filter(r -> r.topic().equals(topic))
                .forEach(r -> sources.add(r.source()));
        assertThat(sources).as("producers of %s", topic).hasSize(1);
        String user = "nestor-" + sources.first().substring("/nestor/".length());
        assertThat(ConsumerGroups.all()).as("a service is named like its group").contains(user);
        return user;
    }

    private static List<String> writers(Map<String, List<Acl>> users, String topic) {
        return users.entrySet().stream()
                .filter(user -> user.getValue().stream().anyMatch(acl -> acl.type().equals("topic")
                        && acl.name().equals(topic) && acl.operations().contains(WRITE)))
                .map(Map.Entry::getKey).toList();
    }

    private static void grant(Map<String, Set<String>> topics, String topic, String... operations) {
        topics.computeIfAbsent(topic, t -> new TreeSet<>(Comparator.comparing(OPERATION_ORDER::indexOf)))
                .addAll(List.of(operations));
    }

    private static List<Acl> topicAcls(Map<String, Set<String>> topics) {
        return topics.entrySet().stream()
                .map(t -> new Acl("topic", t.getKey(), "literal", new LinkedHashSet<>(t.getValue()))).toList();
    }

    private static String header(String what) {
        StringBuilder out = new StringBuilder();
        what.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        return out.append("# Generated by events/src/test/java/dev/nestor/events/DeployTopicsTest.java: do not edit.\n")
                .append("# Regenerate: ").append(REGENERATE).append('\n').toString();
    }

    private static void separate(StringBuilder out, boolean notFirst) {
        if (notFirst) {
            out.append("---\n");
        }
    }

    private static void metadata(StringBuilder out, String kind, String name) {
        out.append("apiVersion: kafka.strimzi.io/v1beta2\n")
                .append("kind: ").append(kind).append('\n')
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  namespace: ").append(KAFKA_NAMESPACE).append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: ").append(KAFKA_CLUSTER).append('\n');
    }
}

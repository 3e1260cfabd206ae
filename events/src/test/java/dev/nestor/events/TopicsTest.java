package dev.nestor.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicHasTwelvePartitions() {
        assertThat(Topics.all()).hasSize(5 + 9).allSatisfy(topic -> assertThat(topic.partitions()).isEqualTo(12));
        assertThat(Topics.all()).extracting(TopicSpec::name).doesNotHaveDuplicates();
    }

    @Test
    void stateTopicIsCompactedAndKeepsTombstonesAWeek() {
        TopicSpec state = Topics.byName(Topics.CLUSTER_STATE).orElseThrow();

        assertThat(state.compacted()).isTrue();
        assertThat(state.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Long.parseLong(state.configs().get("delete.retention.ms")))
                .isGreaterThanOrEqualTo(Duration.ofDays(7).toMillis());
        assertThat(Long.parseLong(state.configs().get("min.compaction.lag.ms")))
                .isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(Topics.all()).filteredOn(TopicSpec::compacted).containsExactly(state);
    }

    @Test
    void eventTopicsAreTheFiveOfTheDesign() {
        assertThat(Topics.eventTopics()).extracting(TopicSpec::name).containsExactly("nestor.cluster.lifecycle",
                "nestor.cluster.state", "nestor.addons", "nestor.autoscaling", "nestor.bridges");
    }

    @Test
    void eachGroupHasADeadLetterTopicPerTopicItConsumes() {
        assertThat(Topics.deadLetterTopics()).extracting(TopicSpec::name).containsExactlyInAnyOrder(
                "nestor.addons.nestor-cluster-service.dlq",
                "nestor.autoscaling.nestor-cluster-service.dlq",
                "nestor.bridges.nestor-cluster-service.dlq",
                "nestor.cluster.state.nestor-addon-service.dlq",
                "nestor.cluster.lifecycle.nestor-addon-service.dlq",
                "nestor.cluster.state.nestor-autoscaler-bridge.dlq",
                "nestor.cluster.lifecycle.nestor-autoscaler-bridge.dlq",
                "nestor.cluster.state.nestor-csi-bridge.dlq",
                "nestor.cluster.lifecycle.nestor-csi-bridge.dlq");
        assertThat(Topics.dlq(Topics.ADDONS, ConsumerGroups.CLUSTER_SERVICE))
                .isEqualTo("nestor.addons.nestor-cluster-service.dlq");
    }

    @Test
    void everyEventTypeGoesToAnEventTopicItsProducerOwns() {
        for (String type : EventTypes.all()) {
            EventTypes.Route route = EventTypes.route(type);
            assertThat(Topics.eventTopics()).extracting(TopicSpec::name).contains(route.topic());
            assertThat(EventSources.all()).contains(route.source());
        }
        assertThat(EventTypes.all()).hasSize(11 + 1 + 4 + 4 + 13);
        assertThat(EventTypes.all()).filteredOn(EventTypes::isLifecycle).hasSize(11)
                .allSatisfy(type -> assertThat(EventTypes.route(type).topic()).isEqualTo(Topics.CLUSTER_LIFECYCLE));
    }

    @Test
    void sandboxTopicsUseReplicationFactorOne() {
        TopicSpec lifecycle = Topics.byName(Topics.CLUSTER_LIFECYCLE).orElseThrow();

        assertThat(lifecycle.replicationFactor()).isEqualTo((short) 3);
        assertThat(lifecycle.withReplicationFactor((short) 1).replicationFactor()).isEqualTo((short) 1);
    }
}

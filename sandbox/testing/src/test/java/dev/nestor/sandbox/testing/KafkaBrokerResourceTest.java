package dev.nestor.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nestor.events.TopicSpec;
import dev.nestor.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class KafkaBrokerResourceTest {

    @Test
    void startsABrokerWithEveryTopicAndRemovesItAfterwards() throws Exception {
        QuietKafkaLogs.apply();
        KafkaBrokerResource resource = new KafkaBrokerResource(Map.of());
        Map<String, String> config;
        KafkaBroker broker;
        try {
            config = resource.start();
            broker = resource.broker();
            String bootstrap = config.get("kafka.bootstrap.servers");
            assertThat(bootstrap).isEqualTo(broker.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(config).containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
            assertThat(broker.dataDir().toAbsolutePath()).startsWith(Path.of("target").toAbsolutePath());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get())
                        .containsAll(Topics.all().stream().map(TopicSpec::name).toList());
            }
        } finally {
            resource.stop();
        }

        assertThat(ProcessHandle.of(broker.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(broker.dataDir())).isFalse();
    }
}

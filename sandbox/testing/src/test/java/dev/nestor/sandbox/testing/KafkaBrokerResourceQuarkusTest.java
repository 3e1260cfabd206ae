package dev.nestor.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.ClusterLifecycleData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KafkaBrokerResourceQuarkusTest {

    @Inject
    LifecycleRelay relay;

    @Test
    void smallRyeCarriesACloudEventThroughTheBrokerOfTheResource() throws Exception {
        ClusterLifecycleData data = new ClusterLifecycleData("globex", "tenant-globex", "dev", "uid-q", 1, 1,
                "Pending", null, null, null);
        NestorEvent<ClusterLifecycleData> event = NestorEvent.lifecycle(EventTypes.CLUSTER_REQUESTED,
                OffsetDateTime.now(), "globex", "tenant-globex", "dev", "uid-q", 1, data);

        relay.send(event).get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> !relay.received().isEmpty());
        assertThat(relay.received()).singleElement()
                .satisfies(received -> assertThat(received.withData(data)).isEqualTo(event));
    }
}

package dev.nestor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.payload.ClusterStateSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonPayloadSerdeTest {

    private final JsonPayloadSerializer<Object> serializer = new JsonPayloadSerializer<>();

    @Test
    void roundTripsAPayloadThroughTheTypeNamedInTheConfiguration() {
        Object snapshot = Samples.payload(PayloadSchema.CLUSTER_STATE);
        JsonPayloadDeserializer<ClusterStateSnapshot> deserializer = new JsonPayloadDeserializer<>();
        deserializer.configure(Map.of(JsonPayloadDeserializer.TYPE_CONFIG, ClusterStateSnapshot.class.getName()),
                false);

        byte[] bytes = serializer.serialize(Topics.CLUSTER_STATE, snapshot);

        assertThat(deserializer.deserialize(Topics.CLUSTER_STATE, bytes)).isEqualTo(snapshot);
        assertThat(bytes).isEqualTo(new CloudEventCodec().body(Samples.event(EventTypes.CLUSTER_STATE)));
    }

    @Test
    void tombstoneStaysNull() {
        assertThat(serializer.serialize(Topics.CLUSTER_STATE, null)).isNull();
        assertThat(new JsonPayloadDeserializer<JsonNode>().deserialize(Topics.CLUSTER_STATE, null)).isNull();
    }

    @Test
    void badBytesFailWithTheTopicAndTheType() {
        JsonPayloadDeserializer<ClusterStateSnapshot> deserializer =
                new JsonPayloadDeserializer<>(ClusterStateSnapshot.class);

        assertThatThrownBy(() -> deserializer.deserialize(Topics.CLUSTER_STATE,
                "{\"uid\":\"u\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("record on nestor.cluster.state is not a valid ClusterStateSnapshot");
    }
}

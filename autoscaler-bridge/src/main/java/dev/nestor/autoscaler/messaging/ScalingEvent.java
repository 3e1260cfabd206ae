package dev.nestor.autoscaler.messaging;

import java.time.OffsetDateTime;

/**
 * One observed replica change of an autoscaled node group.
 *
 * @param direction {@code up} or {@code down}
 */
public record ScalingEvent(OffsetDateTime time, String nodeGroup, int from, int to, String direction) {

    public static ScalingEvent of(OffsetDateTime time, String nodeGroup, int from, int to) {
        return new ScalingEvent(time, nodeGroup, from, to, to > from ? "up" : "down");
    }
}

package dev.nestor.cluster.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the per-cluster lifecycle event stream ({@code GET .../clusters/{name}/events}). */
@ConfigMapping(prefix = "nestor.events-stream")
public interface EventsStreamConfig {

    /** How many of a cluster's most recent lifecycle events each replica keeps to replay to a new stream. */
    @WithDefault("200")
    int historySize();

    /** How long a deleted cluster's history is kept after its {@code cluster.deleted} event. */
    @WithDefault("1h")
    Duration deletedRetention();

    /** Events a slow client may fall behind by (beyond the replayed history) before its stream is ended. */
    @WithDefault("256")
    int subscriberBuffer();

    /** How long the lifecycle topic reader waits before reconnecting after the broker was unreachable. */
    @WithDefault("5s")
    Duration reconnectBackoff();
}

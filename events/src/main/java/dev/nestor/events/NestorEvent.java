package dev.nestor.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One Nestor event: the CloudEvents attributes of DESIGN §5.2 plus the Kafka record key and the payload.
 *
 * <p>{@code time} is normalised to UTC with millisecond precision, so that an event rebuilt from a stored
 * copy (the outbox in {@code status.pendingEvents}) encodes to the same bytes as the first time.
 * {@code sequence} is set on lifecycle events only.
 *
 * @param id CloudEvents id: {@code <uid>:<sequence>} for lifecycle events, a UUID otherwise
 * @param source {@code /nestor/<service>}, see {@link EventSources}
 * @param type one of {@link EventTypes}
 * @param subject {@code tenants/<tenant>/clusters/<name>}
 * @param time when the transition or the report happened
 * @param dataSchema the payload's JSON Schema URI, see {@link Schemas}
 * @param clusterUid the TenantCluster's {@code metadata.uid}
 * @param sequence the per-cluster lifecycle sequence (starting at 1), {@code null} for state reports
 * @param key the Kafka record key {@code <namespace>/<name>}
 * @param data the payload
 * @param <T> the payload type: a record of {@code dev.nestor.events.payload} or a {@code JsonNode}
 */
public record NestorEvent<T>(
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String dataSchema,
        String clusterUid,
        Long sequence,
        String key,
        T data) {

    public NestorEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        requireText(subject, "subject");
        Objects.requireNonNull(time, "time");
        requireText(dataSchema, "dataSchema");
        requireText(clusterUid, "clusterUid");
        requireText(key, "key");
        Objects.requireNonNull(data, "data");
        time = normalise(time);
    }

    /**
     * A lifecycle event of cluster-service with id {@code <uid>:<sequence>}.
     *
     * @param type one of the {@code dev.nestor.cluster.*} transition types
     */
    public static <T> NestorEvent<T> lifecycle(String type, OffsetDateTime time, String tenant, String namespace,
            String name, String uid, long sequence, T data) {
        if (sequence < 1) {
            throw new IllegalArgumentException("lifecycle sequence starts at 1, got " + sequence);
        }
        return new NestorEvent<>(lifecycleId(uid, sequence), EventSources.CLUSTER_SERVICE, type,
                subject(tenant, name), time, Schemas.uriOf(type), uid, sequence, key(namespace, name), data);
    }

    /**
     * A state report (or the cluster state snapshot): a fresh UUID id and no sequence.
     *
     * @param cluster the TenantCluster name
     */
    public static <T> NestorEvent<T> report(String source, String type, OffsetDateTime time, String tenant,
            String namespace, String cluster, String clusterUid, T data) {
        return new NestorEvent<>(UUID.randomUUID().toString(), source, type, subject(tenant, cluster), time,
                Schemas.uriOf(type), clusterUid, null, key(namespace, cluster), data);
    }

    /** The CloudEvents subject of a cluster: {@code tenants/<tenant>/clusters/<name>}. */
    public static String subject(String tenant, String name) {
        return "tenants/" + requireText(tenant, "tenant") + "/clusters/" + requireText(name, "name");
    }

    /** The Kafka record key of a cluster: {@code <namespace>/<name>}. */
    public static String key(String namespace, String name) {
        return requireText(namespace, "namespace") + "/" + requireText(name, "name");
    }

    /** The id of a lifecycle event: {@code <uid>:<sequence>}. */
    public static String lifecycleId(String uid, long sequence) {
        return requireText(uid, "uid") + ":" + sequence;
    }

    /** UTC, millisecond precision: the only form an event time takes on the wire. */
    public static OffsetDateTime normalise(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    /** The same event with another payload (e.g. a typed record in place of the parsed JSON). */
    public <U> NestorEvent<U> withData(U newData) {
        return new NestorEvent<>(id, source, type, subject, time, dataSchema, clusterUid, sequence, key, newData);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}

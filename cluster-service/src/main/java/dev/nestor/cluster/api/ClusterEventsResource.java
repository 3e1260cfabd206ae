package dev.nestor.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.messaging.LifecycleHistory;
import dev.nestor.events.EventJson;
import dev.nestor.events.NestorEvent;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/tenants/{tenant}/clusters/{name}/events}: the cluster's lifecycle events as Server-Sent
 * Events, its recent history first, then live. Each event's {@code data} is the CloudEvent as JSON (structured
 * mode); {@code ?since=<sequence>} or a {@code Last-Event-ID} header skips what the client already has.
 */
@Path("/api/v1/tenants/{tenant}/clusters/{name}/events")
@Authenticated
public class ClusterEventsResource {
    /** The same tenant rule as {@link TenantClusterResource}: a DNS label that fits {@code tenant-<t>}. */
    private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");
    private static final String TYPE_PREFIX = "dev.nestor.";
    /** The time format of the {@code ce_time} header, so both views of an event show the same text. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX");

    @Inject
    KubernetesClient client;
    @Inject
    TenantClusters clusters;
    @Inject
    LifecycleHistory history;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // resolving the cluster is two GETs against the API server
    public Multi<OutboundSseEvent> stream(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @QueryParam("since") String since, @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
            @Context Sse sse) {
        String uid = clusterUid(tenant, name);
        return history.stream(uid, Math.max(since(since), lastSequence(lastEventId, uid))).map(event -> toSse(sse, event));
    }

    /** The uid of the cluster now living under that name: a re-created cluster streams its own events only. */
    private String clusterUid(String tenant, String name) {
        return clusters.find(tenant, name).getMetadata().getUid();
    }

    private static long since(String since) {
        if (since == null) {
            return 0;
        }
        if (!SEQUENCE.matcher(since).matches()) {
            throw ProblemException.badRequest("bad-since", "since is a lifecycle sequence: a non-negative integer");
        }
        return Long.parseLong(since);
    }

    /**
     * The sequence of a reconnecting client's last event, when that id ({@code <uid>:<sequence>}) belongs to the
     * cluster's current uid; anything else (another uid: the cluster was re-created) replays from the start.
     */
    private static long lastSequence(String lastEventId, String uid) {
        String prefix = uid + ":";
        if (lastEventId == null || !lastEventId.startsWith(prefix)) {
            return 0;
        }
        String sequence = lastEventId.substring(prefix.length());
        return SEQUENCE.matcher(sequence).matches() ? Long.parseLong(sequence) : 0;
    }

    private static OutboundSseEvent toSse(Sse sse, NestorEvent<JsonNode> event) {
        String name = event.type().startsWith(TYPE_PREFIX) ? event.type().substring(TYPE_PREFIX.length()) : event.type();
        return sse.newEventBuilder().id(event.id()).name(name)
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, json(event)).build();
    }

    private static String json(NestorEvent<JsonNode> event) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put("specversion", "1.0");
        json.put("id", event.id());
        json.put("type", event.type());
        json.put("source", event.source());
        json.put("subject", event.subject());
        json.put("time", TIME.format(event.time()));
        json.put("dataschema", event.dataSchema());
        json.put("clusteruid", event.clusterUid());
        json.put("sequence", event.sequence());
        json.set("data", event.data());
        return json.toString();
    }
}

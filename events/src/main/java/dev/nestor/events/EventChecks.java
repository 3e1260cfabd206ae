package dev.nestor.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules of DESIGN §5.2 an event must follow, checked when encoding and when parsing. */
final class EventChecks {

    private static final Pattern SUBJECT = Pattern.compile("tenants/[^/\\s]+/clusters/[^/\\s]+");
    private static final Pattern KEY = Pattern.compile("[^/\\s]+/[^/\\s]+");

    private EventChecks() {
    }

    /** What is wrong with the envelope, if anything. */
    static Optional<String> problem(NestorEvent<?> event) {
        if (!EventTypes.isKnown(event.type())) {
            return Optional.of("unknown event type '" + event.type() + "'");
        }
        EventTypes.Route route = EventTypes.route(event.type());
        if (!route.source().equals(event.source())) {
            return Optional.of(event.type() + " must come from source " + route.source() + ", not '"
                    + event.source() + "'");
        }
        if (!route.schema().uri().equals(event.dataSchema())) {
            return Optional.of(event.type() + " needs dataschema " + route.schema().uri() + ", not '"
                    + event.dataSchema() + "'");
        }
        if (!SUBJECT.matcher(event.subject()).matches()) {
            return Optional.of("subject '" + event.subject() + "' is not tenants/<tenant>/clusters/<name>");
        }
        if (!KEY.matcher(event.key()).matches()) {
            return Optional.of("record key '" + event.key() + "' is not <namespace>/<name>");
        }
        if (route.lifecycle()) {
            if (event.sequence() == null || event.sequence() < 1) {
                return Optional.of(event.type() + " needs a sequence >= 1, got " + event.sequence());
            }
            String id = NestorEvent.lifecycleId(event.clusterUid(), event.sequence());
            if (!id.equals(event.id())) {
                return Optional.of("lifecycle event id '" + event.id() + "' is not <clusteruid>:<sequence> = " + id);
            }
        } else if (event.sequence() != null) {
            return Optional.of(event.type() + " is a state report and carries no sequence");
        }
        return Optional.empty();
    }

    /** Whether the parsed payload contradicts the envelope (another cluster, another sequence). */
    static Optional<String> dataProblem(NestorEvent<JsonNode> event) {
        JsonNode data = event.data();
        JsonNode uid = data.has("clusterUid") ? data.get("clusterUid") : data.get("uid");
        if (uid != null && uid.isTextual() && !uid.asText().equals(event.clusterUid())) {
            return Optional.of("payload is about cluster uid " + uid.asText() + " but ce_clusteruid is "
                    + event.clusterUid());
        }
        JsonNode sequence = data.get("sequence");
        if (event.sequence() != null && sequence != null && sequence.isIntegralNumber()
                && sequence.asLong() != event.sequence()) {
            return Optional.of("payload sequence " + sequence.asLong() + " differs from ce_sequence "
                    + event.sequence());
        }
        return Optional.empty();
    }
}

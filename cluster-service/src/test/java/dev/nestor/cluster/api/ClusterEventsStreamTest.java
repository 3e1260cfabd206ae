package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET .../clusters/{name}/events} over HTTP, against the sandbox API server and a real broker. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ClusterEventsStreamTest {
    static final String BASE = "/api/v1/tenants/{tenant}/clusters";
    static final String NAME = "streamed";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/tenants/acme/clusters")
    URL clusters;

    @BeforeEach
    void authenticate() {
        TestTokens.sendWithEveryRequest(TestTokens.admin()); // an administrator: the tests use both tenants
    }

    @AfterEach
    void forget() {
        TestTokens.sendNone();
    }

    @Test
    void historyComesFirstThenLiveEventsAndAClientCanResume() throws Exception {
        String uid = given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + NAME + "\""))
                .post(BASE, "acme").then().statusCode(202).extract().path("uid");
        await().atMost(Duration.ofSeconds(30)).until(() -> "Provisioning".equals(
                given().get(BASE + "/{name}", "acme", NAME).then().extract().path("status.phase")));

        try (EventStream stream = EventStream.open(events(NAME, ""), null);
                KubernetesClient client = ApiServerResource.client()) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/event-stream"));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.events.size() >= 2);
            assertThat(stream.events.subList(0, 2)).extracting(SseEvent::id).containsExactly(uid + ":1", uid + ":2");
            assertThat(stream.events.subList(0, 2)).extracting(SseEvent::name)
                    .containsExactly("cluster.requested", "cluster.provisioning");
            JsonNode first = JSON.readTree(stream.events.get(0).data());
            assertThat(first.path("id").asText()).isEqualTo(uid + ":1");
            assertThat(first.path("type").asText()).isEqualTo("dev.nestor.cluster.requested");
            assertThat(first.path("source").asText()).isEqualTo("/nestor/cluster-service");
            assertThat(first.path("subject").asText()).isEqualTo("tenants/acme/clusters/" + NAME);
            assertThat(first.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(first.path("sequence").asLong()).isEqualTo(1);
            assertThat(first.path("clusteruid").asText()).isEqualTo(uid);
            assertThat(first.path("data").path("name").asText()).isEqualTo(NAME);
            assertThat(first.path("data").path("sequence").asLong()).isEqualTo(1);

            Upstream.controlPlaneAvailable(client, "tenant-acme", NAME);

            await().atMost(Duration.ofSeconds(30)).until(() -> stream.events.size() >= 3);
            assertThat(stream.events).extracting(SseEvent::id).containsExactly(uid + ":1", uid + ":2", uid + ":3");
            assertThat(stream.events.get(2).name()).isEqualTo("cluster.control-plane-ready");
        }

        try (EventStream fromOne = EventStream.open(events(NAME, "?since=1"), null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> fromOne.events.size() >= 2);
            assertThat(fromOne.events).extracting(SseEvent::id).startsWith(uid + ":2", uid + ":3")
                    .doesNotContain(uid + ":1");
        }
        try (EventStream reconnected = EventStream.open(events(NAME, ""), uid + ":2")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !reconnected.events.isEmpty());
            assertThat(reconnected.events.get(0).id()).as("Last-Event-ID resumes after that event").isEqualTo(uid + ":3");
        }
    }

    @Test
    void anUnknownClusterOrTenantIsNotFound() {
        given().accept("text/event-stream").get(BASE + "/{name}/events", "acme", "nope")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/cluster-not-found"), "status", equalTo(404));
        given().accept("text/event-stream").get(BASE + "/{name}/events", "initech", NAME)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
    }

    @Test
    void aSinceThatIsNotASequenceIsABadRequest() {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"streamed-since\""))
                .post(BASE, "globex").then().statusCode(202);
        given().accept("text/event-stream").queryParam("since", "yesterday")
                .get(BASE + "/{name}/events", "globex", "streamed-since")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/bad-since"));
    }

    private URI events(String name, String query) {
        return URI.create(clusters + "/" + name + "/events" + query);
    }

    /** One Server-Sent Event as it arrived. */
    record SseEvent(String id, String name, String data) {
    }

    /** An open stream, read line by line on its own thread until closed. */
    static final class EventStream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final List<SseEvent> events = new CopyOnWriteArrayList<>();

        private EventStream(HttpResponse<InputStream> response) {
            this.response = response;
        }

        static EventStream open(URI uri, String lastEventId) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + TestTokens.admin());
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            EventStream stream = new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
            Thread reader = new Thread(stream::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return stream;
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (id != null || !data.isEmpty()) {
                            events.add(new SseEvent(id, name, data.toString()));
                        }
                        id = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = value(line);
                    } else if (line.startsWith("event:")) {
                        name = value(line);
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(value(line));
                    }
                }
            } catch (IOException e) {
                // the test closed the stream
            }
        }

        private static String value(String line) {
            String value = line.substring(line.indexOf(':') + 1);
            return value.startsWith(" ") ? value.substring(1) : value;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }
}

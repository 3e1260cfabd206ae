package dev.nestor.sandbox.platform;

import dev.nestor.sandbox.testing.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits until every part of the sandbox answers its health check, failing fast when a service process dies. */
final class HealthChecks {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_TAIL_LINES = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private HealthChecks() {
    }

    /**
     * Waits for the API server's {@code /version}, the broker's metadata and each service's readiness.
     *
     * @throws IllegalStateException when a service exits or something is not healthy within {@code timeout}; the
     *     message names it and carries the end of its log
     */
    static void awaitAll(Duration timeout, String apiVersionUrl, KafkaBroker broker, List<ServiceProcess> services,
            List<ServiceSpec> specs) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Boolean> pending = new LinkedHashMap<>();
        pending.put("api", true);
        pending.put("kafka", true);
        services.forEach(s -> pending.put(s.name(), true));
        while (true) {
            if (pending.get("api") && httpOk(apiVersionUrl)) {
                pending.put("api", false);
            }
            if (pending.get("kafka") && brokerAnswers(broker)) {
                pending.put("kafka", false);
            }
            for (ServiceProcess service : services) {
                if (!pending.get(service.name())) {
                    continue;
                }
                if (!service.isAlive()) {
                    throw new IllegalStateException(service.name() + " exited with code "
                            + service.exitCode().orElse(-1) + " before it was ready; end of " + service.log() + ":\n"
                            + service.logTail(LOG_TAIL_LINES));
                }
                ServiceSpec spec = specs.stream().filter(s -> s.name().equals(service.name())).findFirst()
                        .orElseThrow();
                if (httpOk(spec.readinessUrl())) {
                    pending.put(service.name(), false);
                    LOG.info("{} is ready", service.name());
                }
            }
            List<String> waiting = new ArrayList<>();
            pending.forEach((name, still) -> {
                if (still) {
                    waiting.add(name);
                }
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                StringBuilder message = new StringBuilder("not healthy within " + timeout.toSeconds() + " s: "
                        + waiting);
                services.stream().filter(s -> waiting.contains(s.name())).forEach(s -> message
                        .append("\nend of ").append(s.log()).append(":\n").append(s.logTail(LOG_TAIL_LINES)));
                throw new IllegalStateException(message.toString());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the sandbox to be healthy");
            }
        }
    }

    /** Whether {@code url} answers 200. */
    static boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean brokerAnswers(KafkaBroker broker) {
        try (Admin admin = broker.admin()) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) REQUEST_TIMEOUT.toMillis()))
                    .nodes().get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return false;
        }
    }
}

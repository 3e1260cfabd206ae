package dev.nestor.bridge.tenant;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The open tenant connections, one per cluster key. All clients share one HTTP client factory (one event loop for
 * every tenant), and new connections are spaced by a minimum interval so a restart does not open them all at once.
 */
public final class TenantConnections implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TenantConnections.class);

    private final HttpClient.Factory httpClients;
    private final Duration connectInterval;
    private final Clock clock;
    private final Consumer<String> wake;
    private final Map<String, TenantConnection> open = new ConcurrentHashMap<>();
    private Instant nextConnect = Instant.MIN;

    /** Connections whose informers wake {@code wake} with the cluster key. */
    public TenantConnections(HttpClient.Factory httpClients, Duration connectInterval, Clock clock,
            Consumer<String> wake) {
        this.httpClients = httpClients;
        this.connectInterval = connectInterval;
        this.clock = clock;
        this.wake = wake;
    }

    /** The outcome of {@link #ensure}: a connection, or how long to wait for a connect slot. */
    public record Attempt(Optional<TenantConnection> connection, Duration retryAfter) {
    }

    /**
     * The connection of a cluster built from {@code kubeconfig}; a connection built from another kubeconfig (the
     * endpoint or the credentials changed) is replaced.
     */
    public Attempt ensure(String clusterKey, String kubeconfig) {
        TenantConnection current = open.get(clusterKey);
        if (current != null && current.kubeconfig().equals(kubeconfig)) {
            return new Attempt(Optional.of(current), Duration.ZERO);
        }
        Duration wait = claimConnectSlot();
        if (!wait.isZero()) {
            return new Attempt(Optional.empty(), wait);
        }
        if (current != null) {
            LOG.infof("The kubeconfig of cluster %s changed, reconnecting", clusterKey);
            stop(clusterKey);
        }
        TenantConnection connection = new TenantConnection(clusterKey, kubeconfig, client(kubeconfig),
                () -> wake.accept(clusterKey));
        open.put(clusterKey, connection);
        LOG.infof("Connecting to the tenant API of cluster %s", clusterKey);
        return new Attempt(Optional.of(connection), Duration.ZERO);
    }

    /** The open connection of a cluster, if any. */
    public Optional<TenantConnection> get(String clusterKey) {
        return Optional.ofNullable(open.get(clusterKey));
    }

    /** Closes the connection of a cluster; nothing happens when there is none. */
    public void stop(String clusterKey) {
        TenantConnection connection = open.remove(clusterKey);
        if (connection != null) {
            connection.close();
            LOG.infof("Disconnected from the tenant API of cluster %s", clusterKey);
        }
    }

    /** The clusters with an open connection. */
    public Set<String> clusters() {
        return Set.copyOf(open.keySet());
    }

    @Override
    public void close() {
        open.keySet().forEach(this::stop);
    }

    private synchronized Duration claimConnectSlot() {
        Instant now = clock.instant();
        if (now.isBefore(nextConnect)) {
            return Duration.between(now, nextConnect);
        }
        nextConnect = now.plus(connectInterval);
        return Duration.ZERO;
    }

    private KubernetesClient client(String kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig);
        // Informers retry on their own; a write that fails is retried by the work queue, not inside the client.
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClients).build();
    }
}

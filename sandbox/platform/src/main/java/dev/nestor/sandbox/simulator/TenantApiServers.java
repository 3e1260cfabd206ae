package dev.nestor.sandbox.simulator;

import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.sandbox.storage.TenantBuiltins;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API servers of the simulated tenant clusters: one per cluster, on a free loopback port, started when Kamaji
 * would have brought the control plane up and stopped when the control plane goes away.
 */
final class TenantApiServers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantApiServers.class);

    private final Map<ClusterKey, Running> servers = new ConcurrentHashMap<>();

    /** A tenant API server and a client to it. */
    record Running(ApiServer server, KubernetesClient client, String version, TenantBuiltins builtins) {
    }

    /** The running server of a cluster, starting it with {@code kubernetesVersion} if there is none. */
    Running ensure(ClusterKey cluster, String kubernetesVersion) {
        return servers.computeIfAbsent(cluster, key -> {
            ApiServer server = ApiServer.builder()
                    .port(0)
                    .upstreamKinds(false)
                    .kubernetesVersion(kubernetesVersion)
                    .start();
            LOG.info("Started the tenant API server of cluster {} ({}) at {}", key, kubernetesVersion, server.url());
            KubernetesClient client = server.newClient();
            return new Running(server, client, kubernetesVersion, TenantBuiltins.start(client, key.name()));
        });
    }

    /** The running server of a cluster, if any. */
    Optional<Running> get(ClusterKey cluster) {
        return Optional.ofNullable(servers.get(cluster));
    }

    /** Stops the server of a cluster; nothing happens when it does not run. */
    void stop(ClusterKey cluster) {
        Running running = servers.remove(cluster);
        if (running != null) {
            running.builtins().close();
            running.client().close();
            running.server().close();
            LOG.info("Stopped the tenant API server of cluster {}", cluster);
        }
    }

    /** The clusters whose tenant API server runs. */
    Set<ClusterKey> clusters() {
        return Set.copyOf(servers.keySet());
    }

    @Override
    public void close() {
        servers.keySet().forEach(this::stop);
    }
}

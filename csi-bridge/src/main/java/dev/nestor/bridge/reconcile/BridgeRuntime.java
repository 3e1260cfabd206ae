package dev.nestor.bridge.reconcile;

import dev.nestor.bridge.config.BridgeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts this process's {@link Bridge} with Quarkus: the management client, its Vert.x for every tenant client. */
@ApplicationScoped
public class BridgeRuntime {

    private static final Logger LOG = Logger.getLogger(BridgeRuntime.class);

    private final KubernetesClient management;
    private final Vertx vertx;
    private final BridgeConfig config;
    private final String bootstrapServers;
    private final MeterRegistry metrics;
    private Bridge bridge;

    BridgeRuntime(KubernetesClient management, Vertx vertx, BridgeConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry metrics) {
        this.management = management;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        // One HTTP client factory on the application's event loop for every tenant (DESIGN §10).
        bridge = new Bridge(management, new VertxHttpClientFactory(vertx), config, bootstrapServers, metrics);
        LOG.info("csi-bridge started");
    }

    void stop(@Observes ShutdownEvent event) {
        if (bridge != null) {
            bridge.close();
        }
    }
}

package dev.nestor.bridge;

import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.support.feed.EventSender;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What every csi-bridge scenario test holds: the management API, a sender of cluster snapshots, the bridge's events. */
abstract class BridgeTestBase {

    static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesClient management;
    EventSender sender;
    BridgeEvents events;

    @BeforeEach
    void connect() {
        management = ApiServerResource.client();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        sender = new EventSender(bootstrap);
        events = new BridgeEvents(bootstrap);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        events.close();
        sender.close();
        management.close();
    }
}

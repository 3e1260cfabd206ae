package dev.nestor.sandbox.testing;

import dev.nestor.sandbox.apiserver.ApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * Starts the sandbox management API server for a {@code @QuarkusTest}: our CRDs from
 * {@code deploy/crds}, the upstream schemas when {@code ../shared/crds} is there, and the tenants
 * {@code acme} and {@code globex} onboarded. The service under test reaches it over HTTP through
 * its normal {@code quarkus.kubernetes-client.*} keys.
 */
public class ApiServerResource implements QuarkusTestResourceLifecycleManager {
    /** The tenants every test can use. */
    public static final List<String> TENANTS = List.of("acme", "globex");

    private static volatile ApiServer current;

    /** The server of the running test class. */
    public static ApiServer server() {
        if (current == null) {
            throw new IllegalStateException("no sandbox API server is running");
        }
        return current;
    }

    /** A new client for the running server (close it). */
    public static KubernetesClient client() {
        return server().newClient();
    }

    @Override
    public Map<String, String> start() {
        ApiServer.Builder builder = ApiServer.builder().crds(ReactorPaths.root().resolve("deploy").resolve("crds"));
        ReactorPaths.upstreamCrds().ifPresent(builder::upstreamSchemas);
        ApiServer server = builder.start();
        try (KubernetesClient client = server.newClient()) {
            for (String tenant : TENANTS) {
                onboard(client, tenant);
            }
        }
        current = server;
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.token", "sandbox");
    }

    /** Creates the labelled namespace of a tenant. */
    public static void onboard(KubernetesClient client, String tenant) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("tenant-" + tenant)
                .addToLabels("nestor.dev/tenant", tenant).endMetadata().build()).serverSideApply();
    }

    @Override
    public void stop() {
        ApiServer server = current;
        current = null;
        if (server != null) {
            server.close();
        }
    }
}

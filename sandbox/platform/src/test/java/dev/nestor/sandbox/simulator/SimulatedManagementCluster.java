package dev.nestor.sandbox.simulator;

import dev.nestor.sandbox.apiserver.ApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Test harness: a management API server (with the upstream schemas when {@code nestor.upstream.crds} names them), a
 * TenantCluster kind, and the simulator with fast timings; plus helpers to apply the fixture YAML as cluster-service
 * would and to read objects back.
 */
final class SimulatedManagementCluster implements AutoCloseable {

    static final String NAMESPACE = "tenant-acme";
    static final String VERSION = "v1.33.4";
    static final String MANAGER = "nestor-cluster-service";

    final ApiServer server;
    final KubernetesClient client;
    final Simulator simulator;
    final Optional<Path> upstreamCrds;

    SimulatedManagementCluster(Path crdDir) {
        upstreamCrds = upstreamCrds();
        writeResource("fixtures/tenantclusters-crd.yaml", crdDir.resolve("tenantclusters.yaml"));
        ApiServer.Builder builder = ApiServer.builder().port(0).crds(crdDir);
        upstreamCrds.ifPresent(builder::upstreamSchemas);
        server = builder.start();
        client = server.newClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .withLabels(Map.of("nestor.dev/tenant", "acme")).endMetadata().build())
                .fieldManager(MANAGER).serverSideApply();
        simulator = new Simulator(server.newClient(), SimulationTimings.fast(), new Random(42),
                java.time.Clock.systemUTC());
        simulator.start();
    }

    /** The folder of upstream CRDs, when the build has it. */
    static Optional<Path> upstreamCrds() {
        String configured = System.getProperty("nestor.upstream.crds");
        return Optional.ofNullable(configured).map(Path::of).filter(Files::isDirectory);
    }

    /** Applies every document of a fixture, {@code ${KEY}} placeholders replaced, under cluster-service's manager. */
    void apply(String fixture, Map<String, String> values) {
        String text = readResource(fixture);
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        for (String document : text.split("(?m)^---$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            GenericKubernetesResource object = Serialization.unmarshal(document, GenericKubernetesResource.class);
            Kind kind = kindOf(object);
            client.genericKubernetesResources(kind.context()).inNamespace(object.getMetadata().getNamespace())
                    .resource(object).fieldManager(MANAGER).forceConflicts().serverSideApply();
        }
    }

    /** Applies the cluster fixture for {@code cluster}. */
    void createCluster(String cluster) {
        apply("fixtures/cluster.yaml", values(cluster, "a1b2c3d4"));
    }

    static Map<String, String> values(String cluster, String infraHash) {
        return Map.of("CLUSTER", cluster, "NAMESPACE", NAMESPACE, "VERSION", VERSION, "INFRA_HASH", infraHash);
    }

    /** A TenantCluster carrying the failure-injection annotation (or none). */
    void tenantCluster(String name, String failure) {
        GenericKubernetesResource tc = new GenericKubernetesResource();
        tc.setApiVersion(Kind.TENANT_CLUSTER.apiVersion());
        tc.setKind(Kind.TENANT_CLUSTER.kind());
        tc.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
                .withAnnotations(failure == null ? Map.of() : Map.of(Failure.ANNOTATION, failure)).build());
        tc.setAdditionalProperty("spec", Map.of("version", "v1.33"));
        client.genericKubernetesResources(Kind.TENANT_CLUSTER.context()).inNamespace(NAMESPACE).resource(tc)
                .fieldManager(MANAGER).forceConflicts().serverSideApply();
    }

    GenericKubernetesResource get(Kind kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE).withName(name).get();
    }

    List<GenericKubernetesResource> list(Kind kind) {
        return client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE).list().getItems();
    }

    List<GenericKubernetesResource> ofCluster(Kind kind, String cluster) {
        return client.genericKubernetesResources(kind.context()).inNamespace(NAMESPACE)
                .withLabel(Labels.CLUSTER_NAME, cluster).list().getItems();
    }

    List<GenericKubernetesResource> machinesOf(String deployment) {
        return client.genericKubernetesResources(Kind.MACHINE.context()).inNamespace(NAMESPACE)
                .withLabel(Labels.DEPLOYMENT_NAME, deployment).list().getItems();
    }

    /** A client for a tenant API server built from its {@code admin.conf} kubeconfig, as a user would use it. */
    KubernetesClient tenantClient(String cluster) {
        Secret admin = client.secrets().inNamespace(NAMESPACE).withName(cluster + "-admin-kubeconfig").get();
        Config config = Config.fromKubeconfig(ControlPlaneSecrets.decode(admin, ControlPlaneSecrets.ADMIN_CONF));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static boolean condition(GenericKubernetesResource object, String type) {
        return object != null && Conditions.isTrue(Fields.list(object, "status", "conditions"), type);
    }

    static Kind kindOf(GenericKubernetesResource object) {
        return List.of(Kind.CLUSTER, Kind.KAMAJI_CONTROL_PLANE, Kind.KUBEVIRT_CLUSTER, Kind.KUBEVIRT_MACHINE_TEMPLATE,
                Kind.KUBEADM_CONFIG_TEMPLATE, Kind.MACHINE_DEPLOYMENT, Kind.MACHINE_HEALTH_CHECK).stream()
                .filter(k -> k.apiVersion().equals(object.getApiVersion()) && k.kind().equals(object.getKind()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no fixture kind " + object.getKind()));
    }

    @Override
    public void close() {
        simulator.close();
        client.close();
        server.close();
    }

    private static String readResource(String name) {
        try (InputStream in = SimulatedManagementCluster.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeResource(String name, Path target) {
        try {
            Files.writeString(target, readResource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

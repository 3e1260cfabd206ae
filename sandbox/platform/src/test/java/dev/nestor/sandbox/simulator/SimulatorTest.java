package dev.nestor.sandbox.simulator;

import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.NAMESPACE;
import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.VERSION;
import static dev.nestor.sandbox.simulator.SimulatedManagementCluster.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nestor.sandbox.apiserver.SchemaValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated controllers take a cluster as cluster-service renders it to Ready, with valid upstream statuses. */
class SimulatorTest {

    private static final List<Kind> STATUS_KINDS = List.of(Kind.CLUSTER, Kind.KAMAJI_CONTROL_PLANE,
            Kind.KUBEVIRT_CLUSTER, Kind.MACHINE_DEPLOYMENT, Kind.MACHINE_SET, Kind.MACHINE, Kind.MACHINE_HEALTH_CHECK,
            Kind.KUBEADM_CONFIG, Kind.KUBEVIRT_MACHINE);

    @TempDir
    static Path crds;
    static SimulatedManagementCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = new SimulatedManagementCluster(crds);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void clusterBecomesReadyWithTheStatusesTheRealControllersWrite() {
        sandbox.createCluster("ready");

        eventually().untilAsserted(() -> assertThat(condition(sandbox.get(Kind.CLUSTER, "ready"), "Available"))
                .as("Cluster Available").isTrue());

        GenericKubernetesResource cluster = sandbox.get(Kind.CLUSTER, "ready");
        assertThat(cluster.getMetadata().getFinalizers()).contains("cluster.cluster.x-k8s.io");
        assertThat(Fields.string(cluster, "status", "phase")).isEqualTo("Provisioned");
        assertThat(Fields.isTrue(cluster, "status", "initialization", "controlPlaneInitialized")).isTrue();
        assertThat(Fields.isTrue(cluster, "status", "initialization", "infrastructureProvisioned")).isTrue();
        assertThat(Fields.integer(cluster, "status", "workers", "readyReplicas")).contains(3);
        assertThat(Fields.string(cluster, "spec", "controlPlaneEndpoint", "host")).isEqualTo("127.0.0.1");

        GenericKubernetesResource kcp = sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "ready");
        assertThat(Fields.string(kcp, "status", "version")).isEqualTo(VERSION);
        assertThat(Fields.isTrue(kcp, "status", "ready")).isTrue();
        assertThat(Fields.isTrue(kcp, "status", "externalManagedControlPlane")).isTrue();
        assertThat(Fields.list(kcp, "status", "conditions")).extracting(c -> c.get("type") + "=" + c.get("reason"))
                .contains("TenantControlPlaneCreated=Succeeded", "TenantControlPlaneAddressReady=Succeeded",
                        "ControlPlaneEndpointPatched=Succeeded", "InfrastructureClusterPatched=Succeeded",
                        "KamajiControlPlaneIsInitialized=Succeeded", "KubeadmResourcesCreated=Succeeded",
                        "KamajiControlPlaneIsReady=Succeeded", "Available=Available");
        assertThat(kcp.getMetadata().getOwnerReferences()).extracting(r -> r.getKind()).containsExactly("Cluster");
        GenericKubernetesResource infra = sandbox.get(Kind.KUBEVIRT_CLUSTER, "ready");
        assertThat(Fields.isTrue(infra, "status", "ready")).isTrue();
        assertThat(Fields.at(infra, "spec", "controlPlaneEndpoint"))
                .isEqualTo(Fields.at(kcp, "spec", "controlPlaneEndpoint"));

        // The fixed-size group has its two machines, the autoscaled one was defaulted to its minimum.
        for (String md : List.of("ready-md0", "ready-auto")) {
            GenericKubernetesResource deployment = sandbox.get(Kind.MACHINE_DEPLOYMENT, md);
            int replicas = Fields.integer(deployment, "spec", "replicas").orElseThrow();
            assertThat(condition(deployment, "Available")).as(md + " Available").isTrue();
            assertThat(Fields.integer(deployment, "status", "readyReplicas")).contains(replicas);
            assertThat(Fields.integer(deployment, "status", "upToDateReplicas")).contains(replicas);
            assertThat(Fields.integer(deployment, "status", "observedGeneration"))
                    .contains(deployment.getMetadata().getGeneration().intValue());
            assertThat(Fields.string(deployment, "status", "phase")).isEqualTo("Running");
        }
        assertThat(sandbox.machinesOf("ready-md0")).hasSize(2);
        assertThat(sandbox.machinesOf("ready-auto")).hasSize(1);

        GenericKubernetesResource mhc = sandbox.get(Kind.MACHINE_HEALTH_CHECK, "ready-md0");
        assertThat(Fields.integer(mhc, "status", "expectedMachines")).contains(2);
        assertThat(Fields.integer(mhc, "status", "currentHealthy")).contains(2);

        // Every machine runs in a KubeVirt VM labelled as CAPK labels it, and joined the tenant cluster.
        for (GenericKubernetesResource machine : sandbox.ofCluster(Kind.MACHINE, "ready")) {
            String name = machine.getMetadata().getName();
            assertThat(Fields.string(machine, "status", "phase")).isEqualTo("Running");
            assertThat(Fields.string(machine, "status", "nodeRef", "name")).isEqualTo(name);
            assertThat(Fields.string(machine, "spec", "providerID")).isEqualTo("kubevirt://" + name);
            GenericKubernetesResource vm = sandbox.get(Kind.VIRTUAL_MACHINE, name);
            assertThat(vm.getMetadata().getLabels()).containsEntry("cluster.x-k8s.io/cluster-name", "ready")
                    .containsEntry("cluster.x-k8s.io/role", "worker").containsEntry("kubevirt.io/vm", name);
            assertThat(Fields.string(sandbox.get(Kind.VIRTUAL_MACHINE_INSTANCE, name), "status", "phase"))
                    .isEqualTo("Running");
        }

        try (KubernetesClient tenant = sandbox.tenantClient("ready")) {
            assertThat(tenant.getKubernetesVersion().getGitVersion()).isEqualTo(VERSION);
            List<Node> nodes = tenant.nodes().list().getItems();
            assertThat(nodes).hasSize(3);
            for (Node node : nodes) {
                assertThat(node.getSpec().getTaints()).anySatisfy(t -> assertThat(t.getKey())
                        .isEqualTo("node.cloudprovider.kubernetes.io/uninitialized"));
                assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
            }
            assertThat(nodes).filteredOn(n -> n.getMetadata().getName().startsWith("ready-md0"))
                    .allSatisfy(n -> assertThat(n.getMetadata().getLabels())
                            .containsKey("node-role.kubernetes.io/worker"));
        }
    }

    @Test
    void kubeconfigAndCaSecretsFollowTheClusterApiContract() throws Exception {
        sandbox.createCluster("secrets");
        eventually().until(() -> condition(sandbox.get(Kind.KAMAJI_CONTROL_PLANE, "secrets"), "Available"));

        Secret admin = secret("secrets-admin-kubeconfig");
        assertThat(admin.getData()).containsOnlyKeys("admin.conf", "admin.svc", "super-admin.conf",
                "super-admin.svc");
        Secret capi = secret("secrets-kubeconfig");
        assertThat(capi.getType()).isEqualTo("cluster.x-k8s.io/secret");
        assertThat(capi.getMetadata().getLabels()).containsEntry("cluster.x-k8s.io/cluster-name", "secrets");
        assertThat(capi.getData()).containsOnlyKeys("value");
        Secret ca = secret("secrets-ca");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(ControlPlaneSecrets.decode(ca, "tls.crt")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(certificate.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        assertThat(ControlPlaneSecrets.decode(ca, "tls.key")).contains("PRIVATE KEY");
        // cluster-service signs kubeconfigs with this CA: it must load back as a key pair.
        ClusterCa.fromPem(ControlPlaneSecrets.decode(ca, "tls.crt"), ControlPlaneSecrets.decode(ca, "tls.key"))
                .issueClient("someone", "tenant");
    }

    @Test
    void everyStatusValidatesAgainstTheUpstreamSchema() {
        Assumptions.assumeTrue(sandbox.upstreamCrds.isPresent(),
                "upstream CRDs not found (system property nestor.upstream.crds): schema validation skipped");
        sandbox.createCluster("valid");
        eventually().until(() -> condition(sandbox.get(Kind.CLUSTER, "valid"), "Available"));

        SchemaValidator validator = SchemaValidator.load(sandbox.upstreamCrds.orElseThrow());
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (Kind kind : STATUS_KINDS) {
            assertThat(validator.knows(kind.apiVersion(), kind.kind())).as(kind.kind()).isTrue();
            for (GenericKubernetesResource object : sandbox.list(kind)) {
                if (!object.getMetadata().getName().startsWith("valid")) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = Serialization.jsonMapper().convertValue(object, Map.class);
                assertThat(map).containsKey("status");
                validator.validate(kind.apiVersion(), kind.kind(), map)
                        .forEach(p -> problems.add(kind.kind() + " " + object.getMetadata().getName() + ": " + p));
                validator.prunedFields(kind.apiVersion(), kind.kind(), map)
                        .forEach(p -> problems.add(kind.kind() + " " + object.getMetadata().getName()
                                + ": unknown field " + p));
                validated++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(validated).as("objects validated").isGreaterThanOrEqualTo(15);
    }

    private static Secret secret(String name) {
        return sandbox.client.secrets().inNamespace(NAMESPACE).withName(name).get();
    }
}

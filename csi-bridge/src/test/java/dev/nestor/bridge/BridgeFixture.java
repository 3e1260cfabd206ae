package dev.nestor.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.support.feed.EventSender;
import dev.nestor.support.feed.TenantClusterPresence;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One simulated tenant cluster for a test: its tenant API server, its kubeconfig Secret and worker objects in the
 * management API, and its snapshot on the state topic, as cluster-service, CAPK and KubeVirt would make them.
 */
final class BridgeFixture implements AutoCloseable {

    static final String NS = "tenant-acme";

    final KubernetesClient management;
    final EventSender sender;
    final String name;
    final String uid;
    ApiServer tenantServer;
    KubernetesClient tenant;

    BridgeFixture(KubernetesClient management, EventSender sender, String name) {
        this.management = management;
        this.sender = sender;
        this.name = name;
        this.uid = tenantCluster(management, name);
        startTenant();
    }

    /** Creates the TenantCluster {@code name} as a user would (what a destructive step is checked against). */
    static String tenantCluster(KubernetesClient management, String name) {
        GenericKubernetesResource cluster = new GenericKubernetesResource();
        cluster.setApiVersion("nestor.dev/v1alpha1");
        cluster.setKind("TenantCluster");
        cluster.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NS)
                .build());
        cluster.setAdditionalProperty("spec", Map.of("version", "v1.33", "nodeGroups",
                List.of(Map.of("name", "md0", "minReplicas", 1, "maxReplicas", 1))));
        return management.genericKubernetesResources(TenantClusterPresence.TENANT_CLUSTERS).inNamespace(NS)
                .resource(cluster).create().getMetadata().getUid();
    }

    String key() {
        return NS + "/" + name;
    }

    String secretName() {
        return name + "-admin-kubeconfig";
    }

    /** Starts (or restarts on a new port) the tenant API server and publishes its kubeconfig. */
    void startTenant() {
        tenantServer = ApiServer.builder().upstreamKinds(false).start();
        tenant = tenantServer.newClient();
        try {
            Path file = Files.createTempFile("tenant", ".kubeconfig");
            tenantServer.writeKubeconfig(file);
            String kubeconfig = Files.readString(file);
            Files.delete(file);
            management.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
                    .withName(secretName()).withNamespace(NS).endMetadata()
                    .withData(Map.of("admin.conf", Base64.getEncoder().encodeToString(
                            kubeconfig.getBytes(StandardCharsets.UTF_8))))
                    .build()).serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stopTenant() {
        tenant.close();
        tenantServer.close();
    }

    /**
     * Publishes the cluster's snapshot: control plane ready (kubeconfig known) unless {@code deleting}; a deleting
     * one after the TenantCluster is gone, as cluster-service would publish it.
     */
    void publish(boolean deleting) throws ExecutionException, InterruptedException {
        if (deleting) {
            management.genericKubernetesResources(TenantClusterPresence.TENANT_CLUSTERS).inNamespace(NS)
                    .withName(name).delete();
        }
        ClusterStateSnapshot snapshot = new ClusterStateSnapshot(uid, "acme", NS, name, 1, 3,
                deleting ? "Deleting" : "ControlPlaneReady", deleting, JsonNodeFactory.instance.objectNode(),
                List.of(), "https://" + name + ".example", secretName(), "v1.33.2");
        sender.send(NestorEvent.report(EventSources.CLUSTER_SERVICE, EventTypes.CLUSTER_STATE, OffsetDateTime.now(),
                "acme", NS, name, uid, snapshot)).get();
    }

    /** A worker as CAPK and KubeVirt make it: KubevirtMachine, VirtualMachine and a running VMI with {@code ip}. */
    GenericKubernetesResource worker(String machine, String ip) {
        return worker(machine, ip, name);
    }

    /** A worker labelled as belonging to {@code cluster} (to build another cluster's VM). */
    GenericKubernetesResource worker(String machine, String ip, String cluster) {
        Map<String, String> labels = Map.of("cluster.x-k8s.io/cluster-name", cluster, "cluster.x-k8s.io/role",
                "worker", "kubevirt.io/vm", machine);
        management.genericKubernetesResources(InfraKinds.KUBEVIRT_MACHINE).inNamespace(NS).resource(
                generic("infrastructure.cluster.x-k8s.io/v1alpha1", "KubevirtMachine", machine, labels,
                        Map.of("virtualMachineTemplate", Map.of("spec", vmSpec())))).serverSideApply();
        GenericKubernetesResource vm = management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE)
                .inNamespace(NS).resource(generic("kubevirt.io/v1", "VirtualMachine", machine, labels, vmSpec()))
                .serverSideApply();
        startInstance(machine, ip, labels);
        return vm;
    }

    void startInstance(String machine, String ip, Map<String, String> labels) {
        management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(NS).resource(
                generic("kubevirt.io/v1", "VirtualMachineInstance", machine, labels,
                        Map.of("domain", Map.of("devices", Map.of())))).serverSideApply();
        management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(NS)
                .withName(machine).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("status", Map.of("phase", "Running", "interfaces", List.of(
                                Map.of("name", "default", "ipAddress", ip, "ipAddresses", List.of(ip)))))));
    }

    /** The Node the worker's kubelet registers: tainted uninitialized, no providerID. */
    void registerNode(String node) {
        tenant.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                .withNewSpec().addNewTaint().withKey("node.cloudprovider.kubernetes.io/uninitialized")
                .withValue("true").withEffect("NoSchedule").endTaint().endSpec().build()).create();
    }

    private static Map<String, Object> vmSpec() {
        return Map.of("runStrategy", "Always", "template", Map.of("spec", Map.of("domain",
                Map.of("devices", Map.of()))));
    }

    static GenericKubernetesResource generic(String apiVersion, String kind, String name, Map<String, String> labels,
            Map<String, Object> spec) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NS)
                .withLabels(labels).build());
        object.setAdditionalProperty("spec", spec);
        return object;
    }

    static JsonNode json(Object value) {
        return Serialization.jsonMapper().valueToTree(value);
    }

    @Override
    public void close() {
        stopTenant();
    }
}

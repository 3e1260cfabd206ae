package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * csi-bridge on the whole sandbox, as a tenant uses it: the example cluster's Nodes are initialised and it reaches
 * Ready; a PVC becomes a DataVolume-backed PV that is hot-plugged into the worker VM for a pod and removed again; a
 * LoadBalancer Service gets an address from the management side and follows port changes; a deleted worker VM takes
 * its Node with it; forged PVs and Nodes get nothing; a deleted cluster leaves no DataVolume or Service behind.
 */
class BridgesIT {
    static final String NAME = "bridged";
    static final String NS = "tenant-acme";
    static final String TAINT = "node.cloudprovider.kubernetes.io/uninitialized";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext DATA_VOLUMES = context("cdi.kubevirt.io", "v1beta1", "DataVolume",
            "datavolumes");
    static final ResourceDefinitionContext VMS = context("kubevirt.io", "v1", "VirtualMachine", "virtualmachines");
    static final ResourceDefinitionContext VMIS = context("kubevirt.io", "v1", "VirtualMachineInstance",
            "virtualmachineinstances");
    static Sandbox sandbox;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-bridges").toAbsolutePath());
        sandbox.start();
        sandbox.restAsTenant("acme");
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theBridgeServesStorageLoadBalancersAndNodes() throws Exception {
        try (KubernetesClient management = sandbox.client()) {
            String uid = given().contentType(ContentType.JSON)
                    .body(ClusterLifecycleIT.EXAMPLE.replace("\"demo\"", "\"" + NAME + "\""))
                    .post("/api/v1/tenants/acme/clusters").then().statusCode(202).extract().path("uid");
            await().atMost(Duration.ofSeconds(180)).untilAsserted(() ->
                    given().get("/api/v1/tenants/acme/clusters/" + NAME).then().statusCode(200)
                            .body("status.phase", equalTo("Ready"), "status.nodes", equalTo("3/3")));
            try (KubernetesClient tenant = tenantClient(management)) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(tenant.nodes().list().getItems()).hasSize(3)
                        .allSatisfy(node -> {
                            assertThat(node.getSpec().getTaints()).noneMatch(t -> TAINT.equals(t.getKey()));
                            assertThat(node.getSpec().getProviderID()).isEqualTo("kubevirt://"
                                    + node.getMetadata().getName());
                        }));
                await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/tenants/acme/clusters/" + NAME)
                        .then().body("status.conditions.find { it.type == 'StorageBridgeReady' }.status",
                                equalTo("True"),
                                "status.conditions.find { it.type == 'LoadBalancerBridgeReady' }.status",
                                equalTo("True")));

                volumes(management, tenant);
                loadBalancers(management, tenant);
                forgeries(management, tenant);
                workerVmDeletion(management, tenant);
            }

            given().delete("/api/v1/tenants/acme/clusters/" + NAME).then().statusCode(202);
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    given().get("/api/v1/tenants/acme/clusters/" + NAME).statusCode() == 404);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS)
                        .withLabel("nestor.dev/volume-of", uid).list().getItems()).isEmpty();
                assertThat(management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS)
                        .withLabel("nestor.dev/cluster", NAME).list().getItems()).isEmpty();
                assertThat(management.services().inNamespace(NS).withLabel("nestor.dev/cluster", NAME).list()
                        .getItems()).isEmpty();
            });
        }
    }

    /** PVC → Bound PV backed by a DataVolume; pod → attached VolumeAttachment and a hot-plug; then all undone. */
    private static void volumes(KubernetesClient management, KubernetesClient tenant) throws Exception {
        tenant.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
                .withName("kubevirt").endMetadata().withProvisioner("csi.kubevirt.io")
                .withParameters(Map.of("bus", "scsi")).withReclaimPolicy("Delete").build()).create();
        PersistentVolumeClaim claim = tenant.persistentVolumeClaims().inNamespace("default").resource(
                new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata().withNewSpec()
                        .withStorageClassName("kubevirt").withAccessModes("ReadWriteOnce").withNewResources()
                        .withRequests(Map.of("storage", new Quantity("2Gi"))).endResources().endSpec().build())
                .create();
        String handle = "pvc-" + claim.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> {
            PersistentVolumeClaim bound = tenant.persistentVolumeClaims().inNamespace("default").withName("data")
                    .get();
            assertThat(bound.getStatus()).as("the claim's status").isNotNull();
            assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(bound.getSpec().getVolumeName()).isEqualTo(handle);
        });
        PersistentVolume pv = tenant.persistentVolumes().withName(handle).get();
        assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo(handle);
        GenericKubernetesResource dataVolume = management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS)
                .withName(handle).get();
        assertThat(dataVolume).as("the DataVolume in " + NS).isNotNull();
        String serial = dataVolume.getMetadata().getUid();
        assertThat(pv.getSpec().getCsi().getVolumeAttributes()).containsEntry("serial", serial);

        String worker = tenant.nodes().list().getItems().get(0).getMetadata().getName();
        tenant.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("app")
                .endMetadata().withNewSpec().withNodeName(worker).addNewContainer().withName("app")
                .withImage("busybox").endContainer().addNewVolume().withName("data")
                .withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
                .endSpec().build()).create();
        try {
            await().atMost(WAIT).untilAsserted(() -> assertThat(attachmentsOf(tenant, handle)).singleElement()
                    .satisfies(va -> {
                        assertThat(va.getSpec().getNodeName()).isEqualTo(worker);
                        assertThat(va.getStatus()).as("the attachment's status").isNotNull();
                        assertThat(va.getStatus().getAttached()).isTrue();
                    }));
        } catch (AssertionError | RuntimeException e) {
            // What the bridge saw: the tenant's warnings and the worker's VM and VMI.
            tenant.v1().events().inAnyNamespace().list().getItems().forEach(ev -> System.err.println(
                    "tenant event: " + ev.getInvolvedObject().getName() + " " + ev.getReason() + " " + ev.getMessage()));
            System.err.println("VM: " + vmSpec(management, worker));
            System.err.println("VMI: " + JSON.valueToTree(management.genericKubernetesResources(VMIS).inNamespace(NS)
                    .withName(worker).get()));
            throw e;
        }
        JsonNode disks = vmSpec(management, worker).at("/spec/template/spec/domain/devices/disks");
        assertThat(disks.findValuesAsText("serial")).contains(serial);

        tenant.pods().inNamespace("default").withName("app").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(attachmentsOf(tenant, handle)).isEmpty();
            assertThat(vmSpec(management, worker).at("/spec/template/spec/volumes").findValuesAsText("name"))
                    .doesNotContain(handle);
        });
        tenant.persistentVolumeClaims().inNamespace("default").withName("data").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS).withName(handle).get())
                    .isNull();
            assertThat(tenant.persistentVolumes().withName(handle).get()).isNull();
        });
    }

    /** A LoadBalancer Service gets a management address; port changes follow; deletion removes it. */
    private static void loadBalancers(KubernetesClient management, KubernetesClient tenant) {
        Service web = tenant.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().withType("LoadBalancer")
                .withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(80).endPort().endSpec()
                .build()).create();
        String name = ("a" + web.getMetadata().getUid().replace("-", "")).substring(0, 32);
        // Until the bridge copies the address the tenant Service may have no status at all.
        await().atMost(WAIT).untilAsserted(() -> assertThat(ingressIps(tenant.services().inNamespace("default")
                .withName("web").get())).singleElement().satisfies(ip -> assertThat(ip).isNotBlank()));
        Service lb = management.services().inNamespace(NS).withName(name).get();
        assertThat(lb.getSpec().getSelector()).containsEntry("cluster.x-k8s.io/cluster-name", NAME)
                .containsEntry("cluster.x-k8s.io/role", "worker");
        assertThat(ingressIps(tenant.services().inNamespace("default").withName("web").get()))
                .isEqualTo(ingressIps(lb));

        tenant.services().inNamespace("default").withName("web").edit(s -> {
            ServicePort https = new ServicePort();
            https.setName("https");
            https.setPort(443);
            https.setProtocol("TCP");
            s.getSpec().getPorts().add(https);
            return s;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(management.services().inNamespace(NS).withName(name)
                .get().getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(80, 443));

        tenant.services().inNamespace("default").withName("web").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(management.services().inNamespace(NS).withName(name)
                .get()).isNull());
    }

    private static List<String> ingressIps(Service service) {
        if (service == null || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }

    /** A PV naming another cluster's DataVolume and a Node naming another cluster's VM lead to no hot-plug. */
    private static void forgeries(KubernetesClient management, KubernetesClient tenant) throws Exception {
        String victimVolume = "pvc-0badc0de-0000-4000-8000-000000000001";
        GenericKubernetesResource victim = new GenericKubernetesResource();
        victim.setApiVersion("cdi.kubevirt.io/v1beta1");
        victim.setKind("DataVolume");
        victim.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(victimVolume)
                .withNamespace(NS).withLabels(Map.of("nestor.dev/volume-of", "another-cluster-uid"))
                .withAnnotations(Map.of("nestor.dev/tenant-pvc-uid", "0badc0de-0000-4000-8000-000000000001"))
                .build());
        victim.setAdditionalProperty("spec", Map.of("source", Map.of("blank", Map.of()), "storage",
                Map.of("resources", Map.of("requests", Map.of("storage", "1Gi")))));
        management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS).resource(victim).create();
        try {
            PersistentVolumeClaim claim = tenant.persistentVolumeClaims().inNamespace("default").resource(
                    new PersistentVolumeClaimBuilder().withNewMetadata().withName("stolen").endMetadata()
                            .withNewSpec().withStorageClassName("").withVolumeName("stolen")
                            .withAccessModes("ReadWriteOnce").withNewResources()
                            .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build())
                    .create();
            tenant.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("stolen")
                    .endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi")))
                    .withAccessModes("ReadWriteOnce").withStorageClassName("").withNewClaimRef()
                    .withNamespace("default").withName("stolen").withUid(claim.getMetadata().getUid()).endClaimRef()
                    .withNewCsi().withDriver("csi.kubevirt.io").withVolumeHandle(victimVolume)
                    .withVolumeAttributes(Map.of("serial", "forged", "bus", "scsi")).endCsi().endSpec().build())
                    .create();
            // A Node claiming a VM of another cluster (every worker VM of this cluster is named after its Node).
            tenant.nodes().resource(new NodeBuilder().withNewMetadata().withName("intruder").endMetadata()
                    .withNewSpec().withProviderID("kubevirt://someone-elses-vm").addNewTaint().withKey(TAINT)
                    .withValue("true").withEffect("NoSchedule").endTaint().endSpec().build()).create();
            String worker = tenant.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                    .filter(n -> !n.equals("intruder")).findFirst().orElseThrow();
            for (String node : List.of(worker, "intruder")) {
                tenant.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                        .withName("thief-" + node).endMetadata().withNewSpec().withNodeName(node).addNewContainer()
                        .withName("c").withImage("busybox").endContainer().addNewVolume().withName("d")
                        .withNewPersistentVolumeClaim().withClaimName("stolen").endPersistentVolumeClaim()
                        .endVolume().endSpec().build()).create();
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(tenant.v1().events().inNamespace("default").list()
                    .getItems()).anySatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("stolen");
                    }));
            await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> {
                for (GenericKubernetesResource vm : management.genericKubernetesResources(VMS).inNamespace(NS).list()
                        .getItems()) {
                    assertThat(JSON.valueToTree(vm.getAdditionalProperties()).at("/spec/template/spec/volumes")
                            .findValuesAsText("name")).doesNotContain(victimVolume);
                }
                assertThat(attachmentsOf(tenant, "stolen")).noneMatch(va -> va.getStatus() != null
                        && Boolean.TRUE.equals(va.getStatus().getAttached()));
                Node intruder = tenant.nodes().withName("intruder").get();
                assertThat(intruder.getSpec().getTaints()).anyMatch(t -> TAINT.equals(t.getKey()));
            });
        } finally {
            for (String pod : List.of("thief-intruder")) {
                tenant.pods().inNamespace("default").withName(pod).delete();
            }
            tenant.pods().inNamespace("default").list().getItems().forEach(p ->
                    tenant.pods().inNamespace("default").withName(p.getMetadata().getName()).delete());
            tenant.nodes().withName("intruder").delete();
            management.genericKubernetesResources(DATA_VOLUMES).inNamespace(NS).withName(victimVolume).delete();
        }
    }

    /** Deleting a worker's VirtualMachine removes its tenant Node (the kubelet of the replacement re-registers). */
    private static void workerVmDeletion(KubernetesClient management, KubernetesClient tenant) {
        Node node = tenant.nodes().list().getItems().get(0);
        String name = node.getMetadata().getName();
        management.genericKubernetesResources(VMS).inNamespace(NS).withName(name).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            Node now = tenant.nodes().withName(name).get();
            assertThat(now == null || !now.getMetadata().getUid().equals(node.getMetadata().getUid()))
                    .as("the Node of the deleted VM is gone").isTrue();
        });
    }

    private static List<VolumeAttachment> attachmentsOf(KubernetesClient tenant, String pv) {
        return tenant.storage().v1().volumeAttachments().list().getItems().stream()
                .filter(va -> pv.equals(va.getSpec().getSource().getPersistentVolumeName())).toList();
    }

    private static JsonNode vmSpec(KubernetesClient management, String vm) {
        return JSON.valueToTree(management.genericKubernetesResources(VMS).inNamespace(NS).withName(vm).get()
                .getAdditionalProperties());
    }

    private static KubernetesClient tenantClient(KubernetesClient management) {
        Secret secret = management.secrets().inNamespace(NS).withName(NAME + "-admin-kubeconfig").get();
        String adminConf = new String(Base64.getDecoder().decode(secret.getData().get("admin.conf")),
                StandardCharsets.UTF_8);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(adminConf)).build();
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}

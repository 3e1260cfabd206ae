package dev.nestor.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 1: built-in kinds and CRD registration through the API, as on a real server. */
class BuiltinKindsTest {
  @TempDir
  Path dir;

  @Test
  void servesBuiltinKindsAndRegistersCrdsCreatedThroughTheApi() throws Exception {
    try (ApiServer server = ApiServer.builder().upstreamKinds(false).start();
        KubernetesClient client = server.newClient()) {
      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
      Path kubeconfig = server.writeKubeconfig(dir.resolve("kc"));
      assertThat(Files.readString(kubeconfig)).contains(server.url(), "nestor-sandbox", "namespace: default");

      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
          .create();
      client.configMaps().inNamespace("team-a").resource(new ConfigMapBuilder().withNewMetadata().withName("cm")
          .endMetadata().addToData("k", "v").build()).create();
      client.serviceAccounts().inNamespace("team-a").resource(new ServiceAccountBuilder().withNewMetadata()
          .withName("sa").endMetadata().build()).create();
      client.apps().deployments().inNamespace("team-a").resource(new DeploymentBuilder().withNewMetadata()
          .withName("web").endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web")
          .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
          .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build())
          .create();
      client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("system:reader")
          .endMetadata().build()).create();
      client.rbac().roleBindings().inNamespace("team-a").resource(new RoleBindingBuilder().withNewMetadata()
          .withName("rb").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "system:reader")
          .build()).create();
      client.leases().inNamespace("team-a").resource(new LeaseBuilder().withNewMetadata().withName("leader")
          .endMetadata().withNewSpec().withHolderIdentity("me").endSpec().build()).create();
      client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("fast")
          .endMetadata().withProvisioner("csi.example").build()).create();
      client.storage().v1().volumeAttachments().resource(new VolumeAttachmentBuilder().withNewMetadata()
          .withName("va").endMetadata().withNewSpec().withAttacher("csi.example").withNodeName("n1").withNewSource()
          .withPersistentVolumeName("pv1").endSource().endSpec().build()).create();
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
      client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv1").endMetadata()
          .withNewSpec().addToCapacity("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endSpec()
          .build()).create();

      assertThat(client.configMaps().inNamespace("team-a").withName("cm").get().getData()).containsEntry("k", "v");
      assertThat(client.apps().deployments().inNamespace("team-a").withName("web").get().getMetadata()
          .getGeneration()).isEqualTo(1L);
      assertThat(client.leases().inNamespace("team-a").list().getItems()).hasSize(1);
      assertThat(client.nodes().withName("n1").get().getMetadata().getUid()).isNotBlank();
      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
          .contains("default", "kube-system", "team-a");

      try (InputStream in = Files.newInputStream(TestCrds.own().resolve("tenantclusters.yaml"))) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
      CustomResourceDefinition stored = client.apiextensions().v1().customResourceDefinitions()
          .withName("tenantclusters.nestor.dev").get();
      assertThat(stored.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Established")
          && c.getStatus().equals("True"));
      GenericKubernetesResource tc = new GenericKubernetesResource();
      tc.setApiVersion("nestor.dev/v1alpha1");
      tc.setKind("TenantCluster");
      tc.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("c1").build());
      tc.setAdditionalProperties(Map.of("spec", Map.of("version", "v1.31.2")));
      client.genericKubernetesResources("nestor.dev/v1alpha1", "TenantCluster").inNamespace("team-a").resource(tc)
          .create();
      ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup("nestor.dev")
          .withVersion("v1alpha1").withPlural("tenantclusters").withKind("TenantCluster").withNamespaced(true).build();
      assertThat(client.genericKubernetesResources(ctx).inNamespace("team-a").withName("c1").get()
          .getAdditionalProperties()).containsKey("spec");

      client.apiextensions().v1().customResourceDefinitions().withName("tenantclusters.nestor.dev").delete();
      org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(client.getApiGroups().getGroups())
          .noneMatch(g -> g.getName().equals("nestor.dev")));
    }
  }
}

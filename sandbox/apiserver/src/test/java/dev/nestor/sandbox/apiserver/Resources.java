package dev.nestor.sandbox.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

/** Test helpers: generic resources from YAML and typed contexts for the kinds the tests use. */
final class Resources {
  static final ResourceDefinitionContext TC = new ResourceDefinitionContext.Builder().withGroup("nestor.dev")
      .withVersion("v1alpha1").withPlural("tenantclusters").withKind("TenantCluster").withNamespaced(true).build();
  static final ResourceDefinitionContext MD = new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io")
      .withVersion("v1beta2").withPlural("machinedeployments").withKind("MachineDeployment").withNamespaced(true)
      .build();

  private Resources() {
  }

  static GenericKubernetesResource yaml(String yaml) {
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> in(KubernetesClient client, ResourceDefinitionContext ctx, String ns) {
    return client.genericKubernetesResources(ctx).inNamespace(ns);
  }

  static void namespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  static GenericKubernetesResource tenantCluster(String name, String version) {
    return yaml("""
        apiVersion: nestor.dev/v1alpha1
        kind: TenantCluster
        metadata:
          name: %s
        spec:
          version: %s
        """.formatted(name, version));
  }
}

package dev.nestor.autoscaler.apply;

import dev.nestor.autoscaler.render.Labels;
import dev.nestor.autoscaler.render.Names;
import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Map;

/** Applies, reads and removes a cluster's autoscaler objects in the management cluster. */
public final class ManagementSide {
    private final KubernetesClient client;
    private final Applier applier;

    public ManagementSide(KubernetesClient client) {
        this.client = client;
        this.applier = new Applier(client, Labels.MANAGER);
    }

    public void apply(List<GenericKubernetesResource> objects) {
        objects.forEach(o -> applier.apply(Kinds.of(o), o));
    }

    /** The cluster's autoscaler Deployment, null when there is none. */
    public Deployment deployment(String namespace, String cluster) {
        return client.apps().deployments().inNamespace(namespace).withName(Names.autoscaler(cluster)).get();
    }

    /**
     * Deletes every object of this service's kinds labelled for the cluster and managed by this service (DESIGN
     * §2.1: only its own kinds, only its own {@code managed-by}); true when something was still there.
     */
    public boolean remove(String namespace, String cluster) {
        Map<String, String> mine = Labels.of(cluster);
        boolean any = false;
        for (ResourceDefinitionContext kind : Kinds.MANAGEMENT_DELETE_ORDER) {
            for (GenericKubernetesResource o : applier.list(kind, namespace, mine)) {
                any |= applier.delete(kind, namespace, o.getMetadata().getName());
            }
        }
        return any;
    }
}

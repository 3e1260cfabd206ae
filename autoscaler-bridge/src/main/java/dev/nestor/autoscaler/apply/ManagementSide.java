package dev.nestor.autoscaler.apply;

import dev.nestor.autoscaler.render.Labels;
import dev.nestor.autoscaler.render.Names;
import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

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
     * Deletes the cluster's autoscaler objects by their names (the Deployment first); true when something was still
     * there. By name, not by listing: the bridge may not list Secrets (deploy/autoscaler-bridge.yaml).
     */
    public boolean remove(String namespace, String cluster) {
        boolean any = applier.delete(Kinds.DEPLOYMENT, namespace, Names.autoscaler(cluster));
        any |= applier.delete(Kinds.SECRET, namespace, Names.kubeconfigSecret(cluster));
        any |= applier.delete(Kinds.ROLE_BINDING, namespace, Names.autoscaler(cluster));
        any |= applier.delete(Kinds.ROLE, namespace, Names.autoscaler(cluster));
        any |= applier.delete(Kinds.SERVICE_ACCOUNT, namespace, Names.autoscaler(cluster));
        return any;
    }
}

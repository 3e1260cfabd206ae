package dev.nestor.bridge.tenant;

import dev.nestor.support.work.WakeOnChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * csi-bridge's view of one tenant cluster: a client built from the cluster's kubeconfig Secret and informers on the
 * tenant objects the bridge serves. Informers retry on their own when the tenant API goes away; the connection counts
 * as up while every one of them watches.
 */
public final class TenantConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TenantConnection.class);

    private final String clusterKey;
    private final String kubeconfig;
    private final KubernetesClient client;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;
    private final SharedIndexInformer<VolumeAttachment> attachments;
    private final SharedIndexInformer<StorageClass> storageClasses;
    private final SharedIndexInformer<Service> services;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** What was already reported about this tenant, so a forged object yields one warning, not one per resync. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TenantConnection(String clusterKey, String kubeconfig, KubernetesClient client, Runnable wake) {
        this.clusterKey = clusterKey;
        this.kubeconfig = kubeconfig;
        this.client = client;
        // Slim caches (DESIGN §10): each keeps only the fields the bridge reads (plus name and resourceVersion).
        this.nodes = start(slim(client.nodes().runnableInformer(0), Node.class, client,
                "metadata.uid", "metadata.annotations", "spec.providerID", "spec.taints"), wake);
        this.claims = start(slim(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0),
                PersistentVolumeClaim.class, client, "metadata.uid", "metadata.deletionTimestamp", "spec"), wake);
        this.volumes = start(slim(client.persistentVolumes().runnableInformer(0), PersistentVolume.class, client,
                "metadata.uid", "metadata.labels", "metadata.deletionTimestamp", "spec", "status.phase"), wake);
        this.attachments = start(slim(client.storage().v1().volumeAttachments().runnableInformer(0),
                VolumeAttachment.class, client, "metadata.uid", "metadata.finalizers", "metadata.deletionTimestamp",
                "metadata.creationTimestamp", "spec", "status.attached"), wake);
        this.storageClasses = start(slim(client.storage().v1().storageClasses().runnableInformer(0),
                StorageClass.class, client, "provisioner", "parameters", "reclaimPolicy"), wake);
        this.services = start(slim(client.services().inAnyNamespace().runnableInformer(0), Service.class, client,
                "metadata.uid", "metadata.annotations", "metadata.finalizers", "metadata.deletionTimestamp",
                "spec.type", "spec.loadBalancerClass", "spec.ports", "spec.loadBalancerIP", "status.loadBalancer"), wake);
    }

    /** The client to the tenant API (writes go through it; reads come from the informers). */
    public KubernetesClient client() {
        return client;
    }

    /** The kubeconfig this connection was built from. */
    String kubeconfig() {
        return kubeconfig;
    }

    /** Whether every informer has listed and is watching now. */
    public boolean connected() {
        return informers.stream().allMatch(i -> i.hasSynced() && i.isWatching());
    }

    public List<Node> nodes() {
        return nodes.getStore().list();
    }

    public List<PersistentVolumeClaim> claims() {
        return claims.getStore().list();
    }

    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
        return Optional.ofNullable(claims.getStore().getByKey(namespace + "/" + name));
    }

    public List<PersistentVolume> volumes() {
        return volumes.getStore().list();
    }

    public Optional<PersistentVolume> volume(String name) {
        return Optional.ofNullable(volumes.getStore().getByKey(name));
    }

    public List<VolumeAttachment> attachments() {
        return attachments.getStore().list();
    }

    public Optional<StorageClass> storageClass(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(storageClasses.getStore().getByKey(name));
    }

    public List<Service> services() {
        return services.getStore().list();
    }

    /** Records {@code key} (an object uid and what was reported about it); true only the first time. */
    public boolean once(String key) {
        return reported.add(key);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        client.close();
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> slim(SharedIndexInformer<T> informer,
            Class<T> type, KubernetesClient client, String... fields) {
        return informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type,
                client.getKubernetesSerialization(), fields));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> start(SharedIndexInformer<T> informer, Runnable wake) {
        informer.addEventHandler(new WakeOnChange<>(object -> wake.run()));
        // A tenant API that is down keeps being retried (with the client's backoff) until it is back.
        informer.exceptionHandler((started, failure) -> {
            LOG.debugf("Tenant watch of cluster %s failed, retrying: %s", clusterKey, failure);
            return true;
        });
        informer.start();
        informers.add(informer);
        return informer;
    }
}

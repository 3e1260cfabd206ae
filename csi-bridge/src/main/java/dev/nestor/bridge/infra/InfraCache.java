package dev.nestor.bridge.infra;

import dev.nestor.support.work.WakeOnChange;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The management-cluster objects csi-bridge observes, one informer per kind for all clusters, indexed by cluster key
 * ({@code <namespace>/<cluster name>}); a change wakes that cluster. DataVolumes and Services are watched only when
 * they carry csi-bridge's labels, so the caches hold what the bridge made and the workers, nothing else.
 */
public final class InfraCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InfraCache.class);
    private static final String BY_CLUSTER = "cluster";

    private final SharedIndexInformer<GenericKubernetesResource> machines;
    private final SharedIndexInformer<GenericKubernetesResource> kubevirtMachines;
    private final SharedIndexInformer<GenericKubernetesResource> virtualMachines;
    private final SharedIndexInformer<GenericKubernetesResource> instances;
    private final SharedIndexInformer<GenericKubernetesResource> dataVolumes;
    private final SharedIndexInformer<Service> services;
    private final List<SharedIndexInformer<?>> all = new ArrayList<>();

    /** Starts the informers; {@code wake} gets the cluster key of every changed object. */
    public InfraCache(KubernetesClient client, Consumer<String> wake) {
        machines = generic(client, InfraKinds.MACHINE, null, wake);
        kubevirtMachines = generic(client, InfraKinds.KUBEVIRT_MACHINE, null, wake);
        virtualMachines = generic(client, InfraKinds.VIRTUAL_MACHINE, null, wake);
        instances = generic(client, InfraKinds.VIRTUAL_MACHINE_INSTANCE, null, wake);
        dataVolumes = generic(client, InfraKinds.DATA_VOLUME, BridgeLabels.VOLUME_OF, wake);
        services = start(client.services().inAnyNamespace().withLabel(BridgeLabels.MANAGED_BY, BridgeLabels.MANAGER)
                .runnableInformer(0), "services", wake);
    }

    /** Whether every informer has listed once. */
    public boolean synced() {
        return all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    public List<GenericKubernetesResource> machines(String clusterKey) {
        return machines.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    public List<GenericKubernetesResource> kubevirtMachines(String clusterKey) {
        return kubevirtMachines.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    public List<GenericKubernetesResource> dataVolumes(String clusterKey) {
        return dataVolumes.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    public List<Service> loadBalancers(String clusterKey) {
        return services.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    /** The VirtualMachines labelled as the cluster's. */
    public List<GenericKubernetesResource> virtualMachines(String clusterKey) {
        return virtualMachines.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    /** A VirtualMachine by namespace and name, whichever cluster it belongs to (callers check the label). */
    public Optional<GenericKubernetesResource> virtualMachine(String namespace, String name) {
        return Optional.ofNullable(virtualMachines.getIndexer().getByKey(namespace + "/" + name));
    }

    public Optional<GenericKubernetesResource> instance(String namespace, String name) {
        return Optional.ofNullable(instances.getIndexer().getByKey(namespace + "/" + name));
    }

    public Optional<GenericKubernetesResource> dataVolume(String namespace, String name) {
        return Optional.ofNullable(dataVolumes.getIndexer().getByKey(namespace + "/" + name));
    }

    /** Every DataVolume carrying the volume label, whichever cluster it names. */
    public List<GenericKubernetesResource> allDataVolumes() {
        return dataVolumes.getStore().list();
    }

    /** Every management Service csi-bridge made, whichever cluster it serves. */
    public List<Service> allLoadBalancers() {
        return services.getStore().list();
    }

    /** Whether any VirtualMachine or instance of the namespace, of whichever cluster, still has the volume. */
    public boolean inUse(String namespace, String dataVolume) {
        boolean inVm = virtualMachines.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .anyMatch(vm -> Fields.list(vm, "spec", "template", "spec", "volumes").stream()
                        .anyMatch(v -> dataVolume.equals(v.get("name"))
                                || dataVolume.equals(Fields.string(v, "dataVolume", "name"))));
        return inVm || instances.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .anyMatch(vmi -> Fields.list(vmi, "status", "volumeStatus").stream()
                        .anyMatch(v -> dataVolume.equals(v.get("name"))));
    }

    /** The VMIs of a namespace (to find a volume attached elsewhere). */
    public List<GenericKubernetesResource> instances(String clusterKey) {
        return instances.getIndexer().byIndex(BY_CLUSTER, clusterKey);
    }

    @Override
    public void close() {
        all.forEach(SharedIndexInformer::close);
    }

    private SharedIndexInformer<GenericKubernetesResource> generic(KubernetesClient client,
            ResourceDefinitionContext kind, String requiredLabel, Consumer<String> wake) {
        var resources = client.genericKubernetesResources(kind).inAnyNamespace();
        var informer = requiredLabel == null ? resources.runnableInformer(0)
                : resources.withLabel(requiredLabel).runnableInformer(0);
        return start(informer, kind.getPlural(), wake);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> start(SharedIndexInformer<T> informer, String what,
            Consumer<String> wake) {
        informer.addIndexers(Map.of(BY_CLUSTER, object -> clusterKey(object).map(List::of).orElse(List.of())));
        informer.addEventHandler(new WakeOnChange<T>(object -> clusterKey(object).ifPresent(wake)));
        // A kind the management cluster does not serve yet keeps retrying quietly instead of failing the service.
        informer.exceptionHandler((started, failure) -> {
            LOG.debugf("Watch of %s failed, retrying: %s", what, failure);
            return true;
        });
        informer.start();
        all.add(informer);
        return informer;
    }

    /** The cluster an object belongs to: csi-bridge's own label, else the one Cluster API and CAPK put. */
    static Optional<String> clusterKey(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        Map<String, String> labels = object.getMetadata().getLabels();
        if (namespace == null || labels == null) {
            return Optional.empty();
        }
        String cluster = labels.getOrDefault(BridgeLabels.CLUSTER, labels.get(BridgeLabels.CAPI_CLUSTER_NAME));
        return Optional.ofNullable(cluster).map(name -> namespace + "/" + name);
    }
}

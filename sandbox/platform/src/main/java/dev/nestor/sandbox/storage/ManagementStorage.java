package dev.nestor.sandbox.storage;

import dev.nestor.support.work.WakeOnChange;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated management-side storage and networking: CDI (a DataVolume gets its PVC, bound at the requested size,
 * then succeeds; a larger PVC request is granted) and a LoadBalancer address allocator handing out addresses of a
 * pool (the requested {@code loadBalancerIP} when it is free) into {@code status.loadBalancer.ingress}.
 */
public final class ManagementStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementStorage.class);
    static final ResourceDefinitionContext DATA_VOLUMES = new ResourceDefinitionContext.Builder()
            .withGroup("cdi.kubevirt.io").withVersion("v1beta1").withKind("DataVolume").withPlural("datavolumes")
            .withNamespaced(true).build();
    /** The pool the simulated load balancer hands out: 172.18.255.1 to .254. */
    static final String POOL_PREFIX = "172.18.255.";
    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("sandbox-cdi").build();

    private final KubernetesClient client;
    private final Coalescing passes = new Coalescing("sandbox-storage", this::pass);
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<GenericKubernetesResource> dataVolumes;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private SharedIndexInformer<Service> services;

    public ManagementStorage(KubernetesClient client) {
        this.client = client;
    }

    /** Starts watching; returns at once. */
    public void start() {
        dataVolumes = watch(client.genericKubernetesResources(DATA_VOLUMES).inAnyNamespace().runnableInformer(0));
        claims = watch(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0));
        services = watch(client.services().inAnyNamespace().runnableInformer(0));
        LOG.info("Simulated CDI and LoadBalancer allocator started");
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new WakeOnChange<>(object -> passes.nudge()));
        informer.exceptionHandler((started, failure) -> true);
        informer.start();
        informers.add(informer);
        return informer;
    }

    private void pass() {
        dataVolumes.getStore().list().forEach(this::importBlank);
        claims.getStore().list().forEach(this::grantExpansion);
        allocateAddresses();
    }

    /** CDI: a blank DataVolume gets its PVC (owned by it, bound at the requested size) and succeeds. */
    private void importBlank(GenericKubernetesResource dv) {
        if (dv.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase(dv))) {
            return;
        }
        String ns = dv.getMetadata().getNamespace();
        String name = dv.getMetadata().getName();
        Map<String, Object> storage = map(map(dv.getAdditionalProperties().get("spec")).get("storage"));
        String size = String.valueOf(map(map(storage.get("resources")).get("requests")).getOrDefault("storage", "1Gi"));
        if (claims.getStore().getByKey(ns + "/" + name) == null) {
            PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns)
                    .withLabels(Map.of("app", "containerized-data-importer"))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("cdi.kubevirt.io/v1beta1")
                            .withKind("DataVolume").withName(name).withUid(dv.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                    .endMetadata()
                    .withNewSpec()
                    .withAccessModes(storage.get("accessModes") instanceof List<?> modes
                            ? modes.stream().map(String::valueOf).toList() : List.of("ReadWriteOnce"))
                    .withStorageClassName(storage.get("storageClassName") == null ? "sandbox-local"
                            : String.valueOf(storage.get("storageClassName")))
                    .withVolumeMode(storage.get("volumeMode") == null ? "Filesystem"
                            : String.valueOf(storage.get("volumeMode")))
                    .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources()
                    .endSpec().build();
            client.persistentVolumeClaims().inNamespace(ns).resource(claim).create();
            client.persistentVolumeClaims().inNamespace(ns).withName(name).subresource("status").patch(MERGE,
                    Serialization.asJson(Map.of("status", Map.of("phase", "Bound",
                            "accessModes", claim.getSpec().getAccessModes(),
                            "capacity", Map.of("storage", size)))));
        }
        client.genericKubernetesResources(DATA_VOLUMES).inNamespace(ns).withName(name).subresource("status")
                .patch(MERGE, Serialization.asJson(Map.of("status", Map.of("phase", "Succeeded",
                        "progress", "100.0%", "claimName", name))));
    }

    /** The storage provisioner grants a larger request of a DataVolume's PVC at once. */
    private void grantExpansion(PersistentVolumeClaim claim) {
        boolean importer = claim.getMetadata().getOwnerReferences() != null && claim.getMetadata().getOwnerReferences()
                .stream().anyMatch(ref -> "DataVolume".equals(ref.getKind()));
        Quantity requested = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests()
                == null ? null : claim.getSpec().getResources().getRequests().get("storage");
        Quantity capacity = claim.getStatus() == null || claim.getStatus().getCapacity() == null ? null
                : claim.getStatus().getCapacity().get("storage");
        if (!importer || requested == null || capacity == null
                || requested.getNumericalAmount().compareTo(capacity.getNumericalAmount()) <= 0) {
            return;
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).subresource("status").patch(MERGE, Serialization.asJson(
                        Map.of("status", Map.of("capacity", Map.of("storage", requested.toString())))));
    }

    /** The infrastructure load balancer: every LoadBalancer Service without an address gets one of the pool. */
    private void allocateAddresses() {
        Set<String> used = new HashSet<>();
        List<Service> waiting = new ArrayList<>();
        for (Service service : services.getStore().list()) {
            if (!"LoadBalancer".equals(service.getSpec().getType())) {
                continue;
            }
            String ip = ingressIp(service);
            if (ip != null) {
                used.add(ip);
            } else {
                waiting.add(service);
            }
        }
        for (Service service : waiting) {
            String requested = service.getSpec().getLoadBalancerIP();
            String ip = requested != null && !requested.isEmpty() && !used.contains(requested) ? requested : null;
            for (int host = 1; ip == null && host < 255; host++) {
                if (!used.contains(POOL_PREFIX + host)) {
                    ip = POOL_PREFIX + host;
                }
            }
            if (ip == null) {
                LOG.warn("The sandbox LoadBalancer pool is exhausted");
                return;
            }
            used.add(ip);
            client.services().inNamespace(service.getMetadata().getNamespace())
                    .withName(service.getMetadata().getName()).subresource("status").patch(MERGE,
                            Serialization.asJson(Map.of("status", Map.of("loadBalancer",
                                    Map.of("ingress", List.of(Map.of("ip", ip, "ipMode", "VIP")))))));
        }
    }

    private static String ingressIp(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return null;
        }
        return service.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp())
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String phase(GenericKubernetesResource dv) {
        Object phase = map(dv.getAdditionalProperties().get("status")).get("phase");
        return phase == null ? null : phase.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        passes.close();
    }
}

package dev.nestor.sandbox.storage;

import dev.nestor.support.work.WakeOnChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in controllers of a tenant cluster that csi-bridge relies on, for a simulated tenant API server: Service
 * ClusterIP and NodePort allocation, the PV binder (a pre-bound PV binds its claim; a PV whose claim is gone is
 * Released) and the attach-detach controller (a VolumeAttachment per CSI volume used by a scheduled pod, deleted when
 * no pod on that node uses it any more).
 */
public final class TenantBuiltins implements AutoCloseable {

    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("kube-controller-manager").build();

    private final KubernetesClient client;
    private final Coalescing passes;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<VolumeAttachment> attachments;

    private TenantBuiltins(KubernetesClient client, String name) {
        this.client = client;
        this.passes = new Coalescing("tenant-builtins-" + name, this::pass);
        services = watch(client.services().inAnyNamespace().runnableInformer(0));
        claims = watch(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0));
        volumes = watch(client.persistentVolumes().runnableInformer(0));
        pods = watch(client.pods().inAnyNamespace().runnableInformer(0));
        attachments = watch(client.storage().v1().volumeAttachments().runnableInformer(0));
    }

    /** Starts the controllers against a tenant API server; closing stops them (not the client). */
    public static TenantBuiltins start(KubernetesClient client, String name) {
        return new TenantBuiltins(client, name);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new WakeOnChange<>(object -> passes.nudge()));
        informer.exceptionHandler((started, failure) -> true);
        informer.start();
        informers.add(informer);
        return informer;
    }

    private void pass() {
        allocateServiceAddresses();
        bindVolumes();
        attachDetach();
    }

    /** What the API server does at create time: a ClusterIP, and a NodePort for every port of NodePort/LB types. */
    private void allocateServiceAddresses() {
        Set<String> clusterIps = new HashSet<>();
        Set<Integer> nodePorts = new HashSet<>();
        for (Service s : services.getStore().list()) {
            if (s.getSpec().getClusterIP() != null) {
                clusterIps.add(s.getSpec().getClusterIP());
            }
            if (s.getSpec().getPorts() != null) {
                s.getSpec().getPorts().stream().filter(p -> p.getNodePort() != null)
                        .forEach(p -> nodePorts.add(p.getNodePort()));
            }
        }
        for (Service s : services.getStore().list()) {
            boolean needsNodePorts = List.of("NodePort", "LoadBalancer").contains(s.getSpec().getType());
            boolean missingIp = s.getSpec().getClusterIP() == null || s.getSpec().getClusterIP().isEmpty();
            List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
            boolean missingPort = needsNodePorts && ports.stream().anyMatch(p -> p.getNodePort() == null);
            if ("ExternalName".equals(s.getSpec().getType()) || !missingIp && !missingPort) {
                continue;
            }
            Map<String, Object> spec = new HashMap<>();
            if (missingIp) {
                String ip = null;
                for (int i = 10; ip == null; i++) {
                    String candidate = "10.96." + (i / 250) + "." + (1 + i % 250);
                    if (clusterIps.add(candidate)) {
                        ip = candidate;
                    }
                }
                spec.put("clusterIP", ip);
                spec.put("clusterIPs", List.of(ip));
            }
            if (missingPort) {
                List<Map<String, Object>> withPorts = new ArrayList<>();
                for (ServicePort port : ports) {
                    Map<String, Object> p = Serialization.jsonMapper().convertValue(port, Map.class);
                    if (port.getNodePort() == null) {
                        int next = 30000;
                        while (!nodePorts.add(next)) {
                            next++;
                        }
                        p.put("nodePort", next);
                    }
                    withPorts.add(p);
                }
                spec.put("ports", withPorts);
            }
            client.services().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName())
                    .patch(MERGE, Serialization.asJson(Map.of("metadata",
                            Map.of("resourceVersion", s.getMetadata().getResourceVersion()), "spec", spec)));
        }
    }

    /** The PV binder: a PV pre-bound to an existing claim binds both; a PV whose claim went is Released. */
    private void bindVolumes() {
        for (PersistentVolume pv : volumes.getStore().list()) {
            var ref = pv.getSpec().getClaimRef();
            if (ref == null || pv.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            PersistentVolumeClaim claim = claims.getStore().getByKey(ref.getNamespace() + "/" + ref.getName());
            String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
            boolean claimThere = claim != null && claim.getMetadata().getUid().equals(ref.getUid());
            if (!claimThere) {
                if ("Bound".equals(phase)) {
                    status(pv, "Released");
                }
                continue;
            }
            if (claim.getSpec().getVolumeName() == null) {
                client.persistentVolumeClaims().inNamespace(ref.getNamespace()).withName(ref.getName()).patch(MERGE,
                        Serialization.asJson(Map.of("spec", Map.of("volumeName", pv.getMetadata().getName()))));
            }
            if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
                client.persistentVolumeClaims().inNamespace(ref.getNamespace()).withName(ref.getName())
                        .subresource("status").patch(MERGE, Serialization.asJson(Map.of("status", Map.of(
                                "phase", "Bound", "accessModes", pv.getSpec().getAccessModes(),
                                "capacity", pv.getSpec().getCapacity()))));
            }
            if (!"Bound".equals(phase)) {
                status(pv, "Bound");
            }
        }
    }

    private void status(PersistentVolume pv, String phase) {
        client.persistentVolumes().withName(pv.getMetadata().getName()).subresource("status").patch(MERGE,
                Serialization.asJson(Map.of("status", Map.of("phase", phase))));
    }

    /** The attach-detach controller: one VolumeAttachment per (CSI volume, node) a running pod needs. */
    private void attachDetach() {
        Map<String, VolumeAttachment> wanted = new HashMap<>();
        for (Pod pod : pods.getStore().list()) {
            String node = pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (node == null || pod.getMetadata().getDeletionTimestamp() != null
                    || "Succeeded".equals(phase) || "Failed".equals(phase) || pod.getSpec().getVolumes() == null) {
                continue;
            }
            for (Volume volume : pod.getSpec().getVolumes()) {
                if (volume.getPersistentVolumeClaim() == null) {
                    continue;
                }
                PersistentVolumeClaim claim = claims.getStore().getByKey(pod.getMetadata().getNamespace() + "/"
                        + volume.getPersistentVolumeClaim().getClaimName());
                PersistentVolume pv = claim == null || claim.getSpec().getVolumeName() == null ? null
                        : volumes.getStore().getByKey(claim.getSpec().getVolumeName());
                if (pv == null || pv.getSpec().getCsi() == null) {
                    continue;
                }
                String attacher = pv.getSpec().getCsi().getDriver();
                String name = "csi-" + sha256(pv.getMetadata().getName() + attacher + node);
                wanted.put(name, new VolumeAttachmentBuilder().withNewMetadata().withName(name).endMetadata()
                        .withNewSpec().withAttacher(attacher).withNodeName(node).withNewSource()
                        .withPersistentVolumeName(pv.getMetadata().getName()).endSource().endSpec().build());
            }
        }
        wanted.forEach((name, attachment) -> {
            if (attachments.getStore().getByKey(name) == null) {
                client.storage().v1().volumeAttachments().resource(attachment).create();
            }
        });
        for (VolumeAttachment existing : attachments.getStore().list()) {
            if (!wanted.containsKey(existing.getMetadata().getName())
                    && existing.getMetadata().getDeletionTimestamp() == null) {
                client.storage().v1().volumeAttachments().withName(existing.getMetadata().getName()).delete();
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        passes.close();
    }
}

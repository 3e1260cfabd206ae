package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KubeVirt objects of a worker as CAPK and KubeVirt make them: the VirtualMachine from the KubevirtMachine's
 * {@code virtualMachineTemplate} (named after the machine, DataVolumes prefixed with it, a cloud-init ConfigDrive
 * from the bootstrap data), its VirtualMachineInstance, and the labels CAPK puts on both.
 */
final class VirtualMachines {

    static final String CLOUD_INIT_VOLUME = "cloudinitvolume";

    private VirtualMachines() {
    }

    /** CAPK's labels on the VM and on the VMI template. */
    static Map<String, String> labels(GenericKubernetesResource kubevirtMachine, String clusterName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubevirt.io/vm", Fields.name(kubevirtMachine));
        labels.put("name", Fields.name(kubevirtMachine));
        labels.put("cluster.x-k8s.io/role", "worker");
        labels.put(Labels.CLUSTER_NAME, clusterName);
        labels.put("capk.cluster.x-k8s.io/kubevirt-machine-name", Fields.name(kubevirtMachine));
        labels.put("capk.cluster.x-k8s.io/kubevirt-machine-namespace", kubevirtMachine.getMetadata().getNamespace());
        return labels;
    }

    @SuppressWarnings("unchecked")
    static GenericKubernetesResource virtualMachine(GenericKubernetesResource kubevirtMachine, String clusterName,
            String userDataSecret) {
        String name = Fields.name(kubevirtMachine);
        Map<String, Object> template = Fields.map(kubevirtMachine, "spec", "virtualMachineTemplate");
        Map<String, Object> spec = Fields.copy(Fields.map(template, "spec"));
        Map<String, String> labels = labels(kubevirtMachine, clusterName);

        Map<String, String> renamed = new LinkedHashMap<>();
        List<Object> dataVolumes = new ArrayList<>();
        for (Object item : (List<Object>) spec.getOrDefault("dataVolumeTemplates", List.of())) {
            Map<String, Object> dv = Fields.copy((Map<String, Object>) item);
            Map<String, Object> meta = new LinkedHashMap<>(Fields.map(dv, "metadata"));
            String original = String.valueOf(meta.get("name"));
            meta.put("name", name + "-" + original);
            renamed.put(original, name + "-" + original);
            dv.put("metadata", meta);
            dataVolumes.add(dv);
        }
        if (!dataVolumes.isEmpty()) {
            spec.put("dataVolumeTemplates", dataVolumes);
        }

        Map<String, Object> vmiTemplate = new LinkedHashMap<>(Fields.map(spec, "template"));
        Map<String, Object> vmiMeta = new LinkedHashMap<>(Fields.map(vmiTemplate, "metadata"));
        Map<String, Object> vmiLabels = new LinkedHashMap<>(Fields.map(vmiMeta, "labels"));
        vmiLabels.putAll(labels);
        vmiMeta.put("labels", vmiLabels);
        vmiTemplate.put("metadata", vmiMeta);
        Map<String, Object> vmiSpec = new LinkedHashMap<>(Fields.map(vmiTemplate, "spec"));
        List<Object> volumes = new ArrayList<>();
        for (Object item : (List<Object>) vmiSpec.getOrDefault("volumes", List.of())) {
            Map<String, Object> volume = Fields.copy((Map<String, Object>) item);
            Object dvName = Fields.at(volume, "dataVolume", "name");
            if (dvName != null && renamed.containsKey(dvName.toString())) {
                volume.put("dataVolume", Map.of("name", renamed.get(dvName.toString())));
            }
            volumes.add(volume);
        }
        volumes.add(Map.of("name", CLOUD_INIT_VOLUME,
                "cloudInitConfigDrive", Map.of("secretRef", Map.of("name", userDataSecret))));
        vmiSpec.put("volumes", volumes);
        Map<String, Object> domain = new LinkedHashMap<>(Fields.map(vmiSpec, "domain"));
        Map<String, Object> devices = new LinkedHashMap<>(Fields.map(domain, "devices"));
        List<Object> disks = new ArrayList<>((List<Object>) devices.getOrDefault("disks", List.of()));
        disks.add(Map.of("name", CLOUD_INIT_VOLUME, "disk", Map.of("bus", "virtio")));
        devices.put("disks", disks);
        domain.put("devices", devices);
        vmiSpec.put("domain", domain);
        vmiTemplate.put("spec", vmiSpec);
        spec.put("template", vmiTemplate);
        if (!spec.containsKey("runStrategy") && !spec.containsKey("running")) {
            spec.put("runStrategy", "Always");
        }

        Map<String, String> vmLabels = new LinkedHashMap<>();
        Fields.map(template, "metadata", "labels").forEach((k, v) -> vmLabels.put(k, String.valueOf(v)));
        vmLabels.putAll(labels);
        GenericKubernetesResource vm = new GenericKubernetesResource();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(kubevirtMachine.getMetadata().getNamespace());
        meta.setLabels(vmLabels);
        vm.setMetadata(meta);
        vm.setAdditionalProperty("spec", spec);
        return vm;
    }

    /** The running instance KubeVirt makes from a VM, owned by it. */
    static GenericKubernetesResource instance(GenericKubernetesResource vm) {
        Map<String, Object> template = Fields.map(vm, "spec", "template");
        Map<String, String> labels = new LinkedHashMap<>();
        Fields.map(template, "metadata", "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
        labels.put("kubevirt.io/nodeName", NODE_NAME);
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(Fields.name(vm));
        meta.setNamespace(vm.getMetadata().getNamespace());
        meta.setLabels(labels);
        meta.setOwnerReferences(List.of(Owners.controller(Kind.VIRTUAL_MACHINE, vm)));
        vmi.setMetadata(meta);
        vmi.setAdditionalProperty("spec", Fields.copy(Fields.map(template, "spec")));
        return vmi;
    }

    /** The management-cluster node every simulated VM runs on. */
    static final String NODE_NAME = "sandbox-node";

    /** A stable pod-network address for a VM, derived from its uid. */
    static String address(GenericKubernetesResource vm) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(vm.getMetadata().getUid().getBytes(StandardCharsets.UTF_8));
            return "10.244." + (digest[0] & 0xff) + "." + (1 + (digest[1] & 0xff) % 254);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static Map<String, Object> instanceStatus(GenericKubernetesResource vmi, String ip, Instant now) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        status.put("nodeName", NODE_NAME);
        status.put("interfaces", List.of(Map.of("name", "default", "interfaceName", "eth0", "ipAddress", ip,
                "ipAddresses", List.of(ip), "infoSource", "domain, guest-agent")));
        status.put("conditions", Conditions.withoutGeneration(Fields.list(vmi, "status", "conditions"), now)
                .set("Ready", true, "", "")
                .set("AgentConnected", true, "", "")
                .build().stream().map(VirtualMachines::withoutEmpty).toList());
        status.put("guestOSInfo", Map.of("id", "ubuntu", "name", "Ubuntu", "version", "24.04"));
        // Hot-plugged volumes are reported by virt-handler (here: the addvolume subresource), not by this writer.
        Object volumeStatus = Fields.at(vmi, "status", "volumeStatus");
        if (volumeStatus != null) {
            status.put("volumeStatus", volumeStatus);
        }
        return status;
    }

    static Map<String, Object> machineStatus(GenericKubernetesResource vm, boolean running, Instant now) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("printableStatus", running ? "Running" : "Starting");
        status.put("created", running);
        status.put("ready", running);
        Object runStrategy = Fields.at(vm, "spec", "runStrategy");
        if (runStrategy != null) {
            status.put("runStrategy", runStrategy);
        }
        status.put("conditions", Conditions.withoutGeneration(Fields.list(vm, "status", "conditions"), now)
                .set("Ready", running, running ? "" : "VMINotExists", running ? "" : "VMI does not exist")
                .build().stream().map(VirtualMachines::withoutEmpty).toList());
        return status;
    }

    /** KubeVirt conditions omit an empty reason and message. */
    private static Map<String, Object> withoutEmpty(Map<String, Object> condition) {
        Map<String, Object> copy = new LinkedHashMap<>(condition);
        copy.values().removeIf(value -> value instanceof String text && text.isEmpty());
        return copy;
    }
}

package dev.nestor.bridge.node;

import dev.nestor.bridge.infra.Fields;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Node's addresses as the KubeVirt cloud provider derives them: the VMI's {@code default} interface IPs. */
public final class NodeAddresses {

    private NodeAddresses() {
    }

    /** InternalIP per address of the VMI's default interface, then the Hostname; empty until the guest reports one. */
    public static List<NodeAddress> of(GenericKubernetesResource vmi, String nodeName) {
        Set<String> ips = new LinkedHashSet<>();
        for (Map<String, Object> nic : Fields.list(vmi, "status", "interfaces")) {
            if (!"default".equals(nic.get("name"))) {
                continue;
            }
            if (nic.get("ipAddresses") instanceof List<?> list) {
                list.forEach(ip -> ips.add(String.valueOf(ip)));
            }
            if (nic.get("ipAddress") != null) {
                ips.add(String.valueOf(nic.get("ipAddress")));
            }
        }
        List<NodeAddress> addresses = new ArrayList<>();
        if (ips.isEmpty()) {
            return addresses;
        }
        ips.forEach(ip -> addresses.add(new NodeAddress(ip, "InternalIP")));
        addresses.add(new NodeAddress(nodeName, "Hostname"));
        return addresses;
    }
}

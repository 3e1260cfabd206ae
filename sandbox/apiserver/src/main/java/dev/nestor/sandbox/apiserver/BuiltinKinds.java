package dev.nestor.sandbox.apiserver;

import dev.nestor.sandbox.apiserver.ResourceType.PrinterColumn;
import dev.nestor.sandbox.apiserver.ResourceType.Scale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The built-in Kubernetes kinds the services and kubectl use, as a real API server serves them. */
final class BuiltinKinds {
  private BuiltinKinds() {
  }

  static List<ResourceType> all() {
    List<ResourceType> t = new ArrayList<>();
    t.add(kind("", "v1", "Namespace", "namespaces", false, "ns", true, false, col("Status", ".status.phase")));
    t.add(kind("", "v1", "ConfigMap", "configmaps", true, "cm", false, false));
    t.add(kind("", "v1", "Secret", "secrets", true, null, false, false, col("Type", ".type")));
    t.add(kind("", "v1", "Service", "services", true, "svc", true, false, col("Type", ".spec.type"),
        col("Cluster-IP", ".spec.clusterIP"), col("External-IP", ".status.loadBalancer.ingress[*].ip")));
    t.add(kind("", "v1", "ServiceAccount", "serviceaccounts", true, "sa", false, false));
    t.add(kind("", "v1", "Pod", "pods", true, "po", true, false, col("Status", ".status.phase"),
        col("Node", ".spec.nodeName")));
    t.add(kind("", "v1", "Event", "events", true, "ev", false, false, col("Type", ".type"), col("Reason", ".reason"),
        col("Message", ".message")));
    t.add(kind("", "v1", "Node", "nodes", false, "no", true, false,
        col("Ready", ".status.conditions[?(@.type==\"Ready\")].status"), col("Version", ".status.nodeInfo.kubeletVersion")));
    t.add(kind("", "v1", "Endpoints", "endpoints", true, "ep", false, false));
    t.add(kind("", "v1", "PersistentVolume", "persistentvolumes", false, "pv", true, false,
        col("Capacity", ".spec.capacity.storage"), col("Status", ".status.phase"), col("Claim", ".spec.claimRef.name"),
        col("StorageClass", ".spec.storageClassName")));
    t.add(kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, "pvc", true, false,
        col("Status", ".status.phase"), col("Volume", ".spec.volumeName"), col("StorageClass", ".spec.storageClassName")));
    t.add(kind("", "v1", "ResourceQuota", "resourcequotas", true, "quota", true, false));
    t.add(new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"), List.of("all"),
        true, new Scale(".spec.replicas", ".status.replicas", ".spec.selector"),
        withAge(col("Up-to-date", ".status.updatedReplicas"), col("Available", ".status.availableReplicas")), null, true,
        false));
    String rbac = "rbac.authorization.k8s.io";
    t.add(kind(rbac, "v1", "Role", "roles", true, null, false, false));
    t.add(kind(rbac, "v1", "RoleBinding", "rolebindings", true, null, false, false, col("Role", ".roleRef.name")));
    t.add(kind(rbac, "v1", "ClusterRole", "clusterroles", false, null, false, false));
    t.add(kind(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", false, null, false, false,
        col("Role", ".roleRef.name")));
    t.add(kind("coordination.k8s.io", "v1", "Lease", "leases", true, null, false, false,
        col("Holder", ".spec.holderIdentity")));
    t.add(kind("events.k8s.io", "v1", "Event", "events", true, "ev", false, false, col("Type", ".type"),
        col("Reason", ".reason"), col("Note", ".note")));
    t.add(kind("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, "sc", false, false,
        col("Provisioner", ".provisioner")));
    t.add(kind("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", false, null, true, false,
        col("Attacher", ".spec.attacher"), col("PV", ".spec.source.persistentVolumeName"), col("Node", ".spec.nodeName"),
        col("Attached", ".status.attached")));
    t.add(kind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, "crd", true,
        true));
    return t;
  }

  private static ResourceType kind(String group, String version, String kind, String plural, boolean namespaced,
      String shortName, boolean status, boolean generation, PrinterColumn... columns) {
    List<String> shortNames = shortName == null ? List.of() : List.of(shortName);
    List<String> categories = List.of("pods", "services", "deployments").contains(plural) ? List.of("all") : List.of();
    return new ResourceType(group, version, kind, plural, kind.toLowerCase(), namespaced, shortNames, categories, status,
        null, withAge(columns), null, generation, false);
  }

  private static List<PrinterColumn> withAge(PrinterColumn... columns) {
    List<PrinterColumn> cols = new ArrayList<>(Arrays.asList(columns));
    cols.add(new PrinterColumn("Age", "date", "", ".metadata.creationTimestamp", 0, "Time since creation"));
    return cols;
  }

  private static PrinterColumn col(String name, String jsonPath) {
    return new PrinterColumn(name, "string", "", jsonPath, 0, name);
  }
}

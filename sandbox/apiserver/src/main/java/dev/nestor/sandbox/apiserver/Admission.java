package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.sandbox.apiserver.ApiException.Cause;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the real API server and the upstream admission webhooks do to an object on write: secret stringData,
 * namespace defaults, initial Pending phases, CRD status, schema pruning and defaults, CAPI MachineDeployment replica defaulting; then
 * name, schema and CEL validation and the CAPK/CDI immutability rules.
 */
final class Admission {
  static final String CAPI = "cluster.x-k8s.io";
  static final String MIN_SIZE = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
  static final String MAX_SIZE = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";
  private static final Pattern SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

  private Admission() {
  }

  /** Mutations, in the order the server applies them. {@code old} is null on create. */
  static void mutate(ResourceType t, JsonNode old, ObjectNode obj) {
    if (t.group().isEmpty() && t.plural().equals("secrets")) {
      mergeStringData(obj);
    }
    if (t.group().isEmpty() && t.plural().equals("namespaces")) {
      ObjectNode spec = obj.withObjectProperty("spec");
      if (!spec.has("finalizers")) {
        spec.putArray("finalizers").add("kubernetes");
      }
      if (old == null) {
        obj.putObject("status").put("phase", "Active");
      }
    }
    if (old == null && t.group().isEmpty()
        && List.of("pods", "persistentvolumes", "persistentvolumeclaims").contains(t.plural())) {
      obj.putObject("status").put("phase", "Pending");
    }
    if (t.group().equals("apiextensions.k8s.io")) {
      crdStatus(obj);
    }
    if (t.schema() != null) {
      SchemaOps.prune(obj, t.schema(), new ArrayList<>());
      SchemaOps.applyDefaults(obj, t.schema());
    }
    if (t.group().equals(CAPI) && t.plural().equals("machinedeployments")) {
      defaultReplicas(t, old, obj);
    }
  }

  /** Validation; throws 422 Invalid with every cause found. */
  static void validate(ResourceType t, JsonNode old, ObjectNode obj) {
    List<Cause> causes = new ArrayList<>();
    if (old == null) {
      validateName(t, Json.name(obj), causes);
    }
    if (t.schema() != null) {
      causes.addAll(SchemaOps.validate(obj, old, t.schema()));
    }
    if (old != null && immutableSpec(t) && !Json.same(old.get("spec"), obj.get("spec"))) {
      String message = t.kind().equals("DataVolume") ? "Cannot update DataVolume Spec"
          : t.kind() + "Spec is immutable";
      causes.add(new Cause("FieldValueForbidden", "Forbidden: " + message, "spec"));
    }
    if (t.group().equals("apiextensions.k8s.io")) {
      validateCrd(obj, causes);
    }
    if (t.group().equals("controlplane.cluster.x-k8s.io") && t.kind().equals("KamajiControlPlane")) {
      kamajiVersionRule(old, obj, causes);
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid(t, Json.name(obj), causes);
    }
  }

  /** The newest Kubernetes Kamaji's bundled kubeadm can run (reference §2.8). */
  static final int KAMAJI_MAX_MINOR = 36;
  private static final Pattern VERSION = Pattern.compile("^v?1\\.(\\d+)(\\.\\d+)?$");

  /**
   * Kamaji's version webhook (reference §6, {@code tcp_version.go}): no version above the bundled
   * kubeadm, no downgrade, no skipped minor.
   */
  private static void kamajiVersionRule(JsonNode old, ObjectNode kcp, List<Cause> causes) {
    String version = kcp.path("spec").path("version").asText(null);
    var m = version == null ? null : VERSION.matcher(version);
    if (m == null || !m.matches()) {
      return; // the schema reports a missing version
    }
    int minor = Integer.parseInt(m.group(1));
    if (minor > KAMAJI_MAX_MINOR) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: unable to upgrade to a version greater than the "
          + "supported one (v1." + KAMAJI_MAX_MINOR + ".0)", "spec.version"));
      return;
    }
    String previous = old == null ? null : old.path("spec").path("version").asText(null);
    var p = previous == null ? null : VERSION.matcher(previous);
    if (p == null || !p.matches()) {
      return;
    }
    int previousMinor = Integer.parseInt(p.group(1));
    if (minor < previousMinor) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: unable to downgrade a TenantControlPlane from "
          + previous + " to " + version, "spec.version"));
    } else if (minor > previousMinor + 1) {
      causes.add(new Cause("FieldValueForbidden", "Forbidden: unable to upgrade by skipping minor versions, from "
          + previous + " to " + version, "spec.version"));
    }
  }

  private static boolean immutableSpec(ResourceType t) {
    return (t.group().equals("infrastructure.cluster.x-k8s.io") && t.plural().equals("kubevirtmachinetemplates"))
        || (t.group().equals("cdi.kubevirt.io") && t.plural().equals("datavolumes"));
  }

  static void validateName(ResourceType t, String name, List<Cause> causes) {
    if (name == null || name.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value: name or generateName is required",
          "metadata.name"));
      return;
    }
    String shown = "Invalid value: \"" + name + "\": ";
    if (t.group().equals("rbac.authorization.k8s.io")) {
      if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
        causes.add(new Cause("FieldValueInvalid", shown + "may not contain '/' or '%' and may not be '.' or '..'",
            "metadata.name"));
      }
      return;
    }
    boolean label = t.group().isEmpty() && (t.plural().equals("namespaces") || t.plural().equals("services"));
    if (label && name.length() > 63) {
      causes.add(new Cause("FieldValueInvalid", shown + "must be no more than 63 characters", "metadata.name"));
    } else if (!label && name.length() > 253) {
      causes.add(new Cause("FieldValueInvalid", shown + "must be no more than 253 characters", "metadata.name"));
    }
    if (t.group().isEmpty() && t.plural().equals("services") && !DNS1035.matcher(name).matches()) {
      causes.add(new Cause("FieldValueInvalid", shown + "a DNS-1035 label must consist of lower case alphanumeric "
          + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
          + "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')", "metadata.name"));
    } else if (label && !LABEL.matcher(name).matches()) {
      causes.add(new Cause("FieldValueInvalid", shown + "a lowercase RFC 1123 label must consist of lower case "
          + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
          + "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", "metadata.name"));
    } else if (!label && !SUBDOMAIN.matcher(name).matches()) {
      causes.add(new Cause("FieldValueInvalid", shown + "a lowercase RFC 1123 subdomain must consist of lower case "
          + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
          + "'example.com', regex used for validation is "
          + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "metadata.name"));
    }
  }

  private static void mergeStringData(ObjectNode secret) {
    JsonNode stringData = secret.remove("stringData");
    if (stringData == null || !stringData.isObject()) {
      return;
    }
    ObjectNode data = secret.withObjectProperty("data");
    stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
        Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * CAPI's MachineDeployment defaulting webhook: an unset {@code spec.replicas} becomes the autoscaler min size on
   * create, the old value clamped to [min, max] on update, or 1 without both annotations.
   */
  private static void defaultReplicas(ResourceType t, JsonNode old, ObjectNode md) {
    ObjectNode spec = md.withObjectProperty("spec");
    if (spec.hasNonNull("replicas")) {
      return;
    }
    String min = Json.text(md, "metadata", "annotations", MIN_SIZE);
    String max = Json.text(md, "metadata", "annotations", MAX_SIZE);
    if (min == null || max == null) {
      spec.put("replicas", 1);
      return;
    }
    int minSize;
    int maxSize;
    try {
      minSize = Integer.parseInt(min.trim());
      maxSize = Integer.parseInt(max.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid(t, Json.name(md), List.of(new Cause("FieldValueInvalid",
          "Invalid value: \"" + min + "\"/\"" + max + "\": autoscaler min/max size annotations must be integers",
          "metadata.annotations")));
    }
    JsonNode oldReplicas = old == null ? null : Json.at(old, "spec", "replicas");
    int replicas;
    if (oldReplicas == null || oldReplicas.isNull()) {
      replicas = minSize;
    } else {
      replicas = Math.max(minSize, Math.min(maxSize, oldReplicas.asInt()));
    }
    spec.put("replicas", replicas);
  }

  /** Established CRD status, as the apiextensions controllers write it. */
  private static void crdStatus(ObjectNode crd) {
    boolean established = crd.path("status").path("conditions").size() > 0;
    ObjectNode status = established ? (ObjectNode) crd.get("status") : crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    var stored = status.putArray("storedVersions");
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
      }
    }
    if (established) {
      return;
    }
    var conditions = status.putArray("conditions");
    for (String type : List.of("NamesAccepted", "Established")) {
      ObjectNode c = conditions.addObject();
      c.put("type", type);
      c.put("status", "True");
      c.put("lastTransitionTime", ManagedFields.now());
      c.put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts");
      c.put("message", type.equals("Established") ? "the initial names have been accepted"
          : "no conflicts found");
    }
  }

  private static void validateCrd(ObjectNode crd, List<Cause> causes) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    if (group.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.group"));
    }
    if (plural.isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.names.plural"));
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.names.kind"));
    }
    if (spec.path("versions").isEmpty()) {
      causes.add(new Cause("FieldValueRequired", "Required value", "spec.versions"));
    }
    String name = Json.name(crd);
    if (!group.isEmpty() && !plural.isEmpty() && !(plural + "." + group).equals(name)) {
      causes.add(new Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+"
          + "spec.group", "metadata.name"));
    }
  }
}

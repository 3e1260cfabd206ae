package dev.nestor.cluster.validate;

import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.AddonSpec;
import dev.nestor.cluster.model.Gpu;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.Taint;
import dev.nestor.cluster.model.TenantClusterSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validator of DESIGN §3, shared by REST (422 problem) and the reconciler
 * ({@code SpecAccepted=False}). Pure: a spec, a name, the tenant's policy and the catalog in; violations out.
 * It validates a spec after {@link SpecDefaults} ran.
 */
public final class SpecValidator {
    static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern VERSION = Pattern.compile("v1\\.(\\d{1,3})(\\.(\\d{1,3}))?");
    static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    static final Pattern GO_DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");
    static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");
    static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    static final Set<String> CNIS = Set.of("cilium", "calico");
    static final List<String> RESERVED_LABEL_DOMAINS = List.of("kubernetes.io", "k8s.io", "x-k8s.io", "nestor.dev");
    static final BigDecimal MIN_DISK = new Quantity("10Gi").getNumericalAmount();
    static final int MAX_NODE_GROUPS = 20;
    static final int MAX_REPLICAS = 100;
    static final int MAX_CONTROL_PLANE_REPLICAS = 5;

    private final Catalog catalog;

    public SpecValidator(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Every rule a new cluster's spec breaks under the tenant's policy; empty when the spec is acceptable. */
    public List<Violation> validate(String name, Catalog.Policy policy, TenantClusterSpec spec) {
        return validate(name, policy, spec, VersionContext.NEW);
    }

    /**
     * Every rule the spec breaks under the tenant's policy ({@link Catalog#policyFor(String, Map)}), a version change
     * checked against what runs; empty when acceptable.
     */
    public List<Violation> validate(String name, Catalog.Policy policy, TenantClusterSpec spec, VersionContext versions) {
        List<Violation> out = new ArrayList<>();
        validateName(name, out);
        validateVersion(spec.version, versions, out);
        validateControlPlane(spec, policy, out);
        validateNetwork(spec, out);
        validateNodeGroups(spec.nodeGroups, policy, out);
        validateAddons(spec.addons, out);
        validateAutoscaling(spec, out);
        return out;
    }

    private static void validateName(String name, List<Violation> out) {
        if (name == null || name.isEmpty()) {
            out.add(new Violation("name", "name-required", "a cluster name is required"));
            return;
        }
        if (name.length() > 30) {
            out.add(new Violation("name", "name-too-long", "a cluster name has at most 30 characters"));
        }
        if (!DNS_1035.matcher(name).matches()) {
            out.add(new Violation("name", "name-format",
                    "a cluster name is a DNS-1035 label: lowercase letters, digits and '-', starting with a letter"));
        }
    }

    private void validateVersion(String version, VersionContext versions, List<Violation> out) {
        if (version == null || version.isEmpty()) {
            out.add(new Violation("version", "version-required", "a Kubernetes version is required, e.g. v1.33"));
            return;
        }
        var m = VERSION.matcher(version);
        if (!m.matches()) {
            out.add(new Violation("version", "version-format", "the version is v1.MINOR or v1.MINOR.PATCH"));
            return;
        }
        if (version.equals(versions.acceptedVersion())) {
            return; // pinned when accepted: a later catalog change never refuses it (DESIGN §3)
        }
        var entry = catalog.versionOf(version);
        if (entry.isEmpty()) {
            out.add(new Violation("version", "version-not-offered",
                    "version " + version + " is not offered; available: " + String.join(", ", catalog.versions().keySet())));
        } else if (m.group(2) != null && !entry.get().patch().equals(version)) {
            out.add(new Violation("version", "patch-not-offered",
                    "patch " + version + " is not offered; " + Catalog.minorOf(version) + " resolves to " + entry.get().patch()));
        }
        validateUpgrade(version, versions, out);
    }

    /** One minor at a time, against the version the control plane runs, never down, never two at once. */
    private static void validateUpgrade(String version, VersionContext versions, List<Violation> out) {
        if (versions.acceptedVersion() == null || minor(version) == minor(versions.acceptedVersion())) {
            return;
        }
        if (!versions.rolloutDone() || versions.runningVersion() == null) {
            out.add(new Violation("version", VersionContext.UPGRADE_IN_PROGRESS, "the cluster still rolls out "
                    + versions.acceptedVersion() + "; change the version once it is Ready"));
            return;
        }
        int running = minor(versions.runningVersion());
        int target = minor(version);
        if (target < running) {
            out.add(new Violation("version", "downgrade", "the control plane runs " + versions.runningVersion()
                    + "; Kubernetes cannot be downgraded"));
        } else if (target > running + 1) {
            out.add(new Violation("version", "upgrade-skip", "the control plane runs " + versions.runningVersion()
                    + "; upgrade one minor at a time, next v1." + (running + 1)));
        }
    }

    /** {@code v1.33.5} → 33. */
    static int minor(String version) {
        var m = VERSION.matcher(version);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void validateControlPlane(TenantClusterSpec spec, Catalog.Policy policy, List<Violation> out) {
        var cp = spec.controlPlane;
        if (cp == null) {
            return;
        }
        if (cp.replicas != null && (cp.replicas < 1 || cp.replicas > MAX_CONTROL_PLANE_REPLICAS)) {
            out.add(new Violation("controlPlane.replicas", "control-plane-replicas",
                    "control-plane replicas are between 1 and " + MAX_CONTROL_PLANE_REPLICAS));
        }
        if (cp.dataStore != null && !policy.dataStores().contains(cp.dataStore)) {
            out.add(new Violation("controlPlane.dataStore", "datastore-not-allowed",
                    "data store '" + cp.dataStore + "' is not allowed for this tenant; allowed: " + policy.dataStores()));
        }
        if (cp.serviceType != null && !SERVICE_TYPES.contains(cp.serviceType)) {
            out.add(new Violation("controlPlane.serviceType", "service-type", "serviceType is one of " + SERVICE_TYPES));
        }
    }

    private static void validateNetwork(TenantClusterSpec spec, List<Violation> out) {
        var net = spec.network;
        if (net == null) {
            return;
        }
        Cidr pods = parseCidr("network.podCidr", net.podCidr, out);
        Cidr services = parseCidr("network.serviceCidr", net.serviceCidr, out);
        if (pods != null && services != null && pods.overlaps(services)) {
            out.add(new Violation("network.serviceCidr", "cidr-overlap",
                    "the service range " + net.serviceCidr + " overlaps the pod range " + net.podCidr));
        }
        if (net.serviceDomain != null
                && (net.serviceDomain.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(net.serviceDomain).matches())) {
            out.add(new Violation("network.serviceDomain", "service-domain", "serviceDomain is a DNS subdomain"));
        }
    }

    private static Cidr parseCidr(String field, String value, List<Violation> out) {
        if (value == null) {
            return null;
        }
        Cidr cidr = Cidr.parse(value);
        if (cidr == null) {
            out.add(new Violation(field, "cidr-format", "'" + value + "' is not an IPv4 CIDR such as 10.243.0.0/16"));
        } else if (cidr.prefix() > 24 || cidr.prefix() < minPrefix(field)) {
            out.add(new Violation(field, "cidr-size", "the range needs a prefix between /" + minPrefix(field) + " and /24"));
            return null;
        }
        return cidr;
    }

    /** kube-apiserver refuses service ranges with more than 20 host bits. */
    private static int minPrefix(String field) {
        return field.endsWith("serviceCidr") ? 12 : 8;
    }

    private void validateNodeGroups(List<NodeGroup> groups, Catalog.Policy policy, List<Violation> out) {
        if (groups == null || groups.isEmpty()) {
            out.add(new Violation("nodeGroups", "node-groups-required", "at least one node group is required"));
            return;
        }
        if (groups.size() > MAX_NODE_GROUPS) {
            out.add(new Violation("nodeGroups", "node-groups-too-many", "at most " + MAX_NODE_GROUPS + " node groups"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            NodeGroup g = groups.get(i);
            String at = "nodeGroups[" + i + "]";
            if (g == null) {
                out.add(new Violation(at, "node-group-null", "a node group is an object"));
                continue;
            }
            if (g.name == null || g.name.isEmpty()) {
                out.add(new Violation(at + ".name", "node-group-name-required", "a node group needs a name"));
            } else {
                if (g.name.length() > 15 || !DNS_1123_LABEL.matcher(g.name).matches()) {
                    out.add(new Violation(at + ".name", "node-group-name-format",
                            "a node group name is a DNS label of at most 15 characters"));
                }
                if (!names.add(g.name)) {
                    out.add(new Violation(at + ".name", "node-group-name-duplicate", "node group '" + g.name + "' appears twice"));
                }
            }
            validateSize(g, at, out);
            validateDisk(g, at, policy, out);
            validateReplicas(g, at, out);
            validateLabels(g.labels, at + ".labels", out);
            validateTaints(g.taints, at + ".taints", out);
            validateRoles(g.roles, at + ".roles", out);
            validateGpus(g.gpus, at + ".gpus", policy, out);
        }
    }

    private void validateSize(NodeGroup g, String at, List<Violation> out) {
        if ((g.instanceType == null) == (g.resources == null)) {
            out.add(new Violation(at, "size-one-of", "a node group has either instanceType or resources, not both and not neither"));
            return;
        }
        if (g.instanceType != null && !catalog.instanceTypes().containsKey(g.instanceType)) {
            out.add(new Violation(at + ".instanceType", "instance-type-unknown",
                    "instance type '" + g.instanceType + "' is unknown; available: " + String.join(", ", catalog.instanceTypes().keySet())));
        }
        if (g.resources != null) {
            if (!positiveQuantity(g.resources.cpu)) {
                out.add(new Violation(at + ".resources.cpu", "cpu-quantity", "cpu is a positive quantity such as 2 or 1500m"));
            }
            if (!positiveQuantity(g.resources.memory)) {
                out.add(new Violation(at + ".resources.memory", "memory-quantity", "memory is a positive quantity such as 8Gi"));
            }
        }
    }

    private static void validateDisk(NodeGroup g, String at, Catalog.Policy policy, List<Violation> out) {
        if (g.diskSize != null) {
            BigDecimal bytes = amount(g.diskSize);
            if (bytes == null || bytes.signum() <= 0) {
                out.add(new Violation(at + ".diskSize", "disk-quantity", "diskSize is a quantity such as 50Gi"));
            } else if (bytes.compareTo(MIN_DISK) < 0) {
                out.add(new Violation(at + ".diskSize", "disk-too-small", "diskSize is at least 10Gi"));
            }
        }
        if (g.storageClass != null && !policy.storageClasses().contains(g.storageClass)) {
            out.add(new Violation(at + ".storageClass", "storage-class-not-allowed",
                    "storage class '" + g.storageClass + "' is not allowed for this tenant; allowed: " + policy.storageClasses()));
        }
    }

    private static void validateReplicas(NodeGroup g, String at, List<Violation> out) {
        if (g.minReplicas == null) {
            out.add(new Violation(at + ".minReplicas", "min-required", "minReplicas is required"));
        } else if (g.minReplicas < 0) {
            out.add(new Violation(at + ".minReplicas", "min-negative", "minReplicas is at least 0"));
        }
        if (g.maxReplicas == null) {
            out.add(new Violation(at + ".maxReplicas", "max-required", "maxReplicas is required"));
        } else if (g.maxReplicas > MAX_REPLICAS) {
            out.add(new Violation(at + ".maxReplicas", "max-too-large", "maxReplicas is at most " + MAX_REPLICAS));
        } else if (g.maxReplicas < 0) {
            out.add(new Violation(at + ".maxReplicas", "max-negative", "maxReplicas is at least 0"));
        }
        if (g.minReplicas != null && g.maxReplicas != null && g.minReplicas > g.maxReplicas) {
            out.add(new Violation(at + ".minReplicas", "min-above-max", "minReplicas may not exceed maxReplicas"));
        }
    }

    private static void validateLabels(Map<String, String> labels, String at, List<Violation> out) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (!validLabelKey(key)) {
                out.add(new Violation(at + "." + key, "label-key", "'" + key + "' is not a valid label key"));
            } else if (reservedDomain(key)) {
                out.add(new Violation(at + "." + key, "label-reserved",
                        "label domains " + RESERVED_LABEL_DOMAINS + " are reserved; use roles for node roles"));
            }
            if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                out.add(new Violation(at + "." + key, "label-value", "'" + value + "' is not a valid label value"));
            }
        });
    }

    private static void validateTaints(List<Taint> taints, String at, List<Violation> out) {
        if (taints == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            String ti = at + "[" + i + "]";
            if (t == null || t.key == null || !validLabelKey(t.key)) {
                out.add(new Violation(ti + ".key", "taint-key", "a taint needs a valid key"));
                continue;
            }
            if (reservedDomain(t.key)) {
                out.add(new Violation(ti + ".key", "taint-reserved",
                        "taint domains " + RESERVED_LABEL_DOMAINS + " belong to Kubernetes and Nestor"));
            }
            if (t.value != null && (t.value.length() > 63 || !LABEL_VALUE.matcher(t.value).matches())) {
                out.add(new Violation(ti + ".value", "taint-value", "'" + t.value + "' is not a valid taint value"));
            }
            if (t.effect == null || !TAINT_EFFECTS.contains(t.effect)) {
                out.add(new Violation(ti + ".effect", "taint-effect", "effect is one of " + TAINT_EFFECTS));
            } else if (!seen.add(t.key + ":" + t.effect)) {
                out.add(new Violation(ti, "taint-duplicate", "taint " + t.key + ":" + t.effect + " appears twice"));
            }
        }
    }

    private static void validateRoles(List<String> roles, String at, List<Violation> out) {
        if (roles == null) {
            return;
        }
        for (int i = 0; i < roles.size(); i++) {
            String r = roles.get(i);
            if (r == null || r.length() > 63 || !LABEL_NAME.matcher(r).matches()) {
                out.add(new Violation(at + "[" + i + "]", "role-format", "a role is a label name such as 'ingress'"));
            }
        }
    }

    private static void validateGpus(List<Gpu> gpus, String at, Catalog.Policy policy, List<Violation> out) {
        if (gpus == null) {
            return;
        }
        for (int i = 0; i < gpus.size(); i++) {
            Gpu gpu = gpus.get(i);
            if (gpu == null || gpu.deviceName == null || !policy.gpuModels().contains(gpu.deviceName)) {
                out.add(new Violation(at + "[" + i + "].deviceName", "gpu-not-allowed",
                        "GPU model is not allowed for this tenant; allowed: " + policy.gpuModels()));
            }
        }
    }

    private void validateAddons(Map<String, AddonSpec> addons, List<Violation> out) {
        if (addons == null) {
            return;
        }
        int cnis = 0;
        for (var e : addons.entrySet()) {
            if (!catalog.addons().contains(e.getKey())) {
                out.add(new Violation("addons." + e.getKey(), "addon-unknown",
                        "add-on '" + e.getKey() + "' is not in the catalog; available: " + catalog.addons().stream().sorted().toList()));
            } else if (e.getValue() != null && e.getValue().values != null && !e.getValue().values.isObject()) {
                out.add(new Violation("addons." + e.getKey() + ".values", "addon-values", "values is an object"));
            }
            if (CNIS.contains(e.getKey()) && e.getValue() != null && Boolean.TRUE.equals(e.getValue().enabled)) {
                cnis++;
            }
        }
        if (cnis > 1) {
            out.add(new Violation("addons", "one-cni", "enable at most one CNI (cilium or calico)"));
        }
    }

    private static void validateAutoscaling(TenantClusterSpec spec, List<Violation> out) {
        var a = spec.autoscaling;
        if (a == null) {
            return;
        }
        checkDuration("autoscaling.scaleDownUnneededTime", a.scaleDownUnneededTime, out);
        checkDuration("autoscaling.scaleDownDelayAfterAdd", a.scaleDownDelayAfterAdd, out);
        if (a.scaleDownUtilizationThreshold != null) {
            try {
                double v = Double.parseDouble(a.scaleDownUtilizationThreshold);
                if (v <= 0 || v > 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                out.add(new Violation("autoscaling.scaleDownUtilizationThreshold", "utilization-threshold",
                        "the threshold is a number in (0, 1], e.g. 0.5"));
            }
        }
        if (a.expander != null && !Set.of("random", "most-pods", "least-waste", "price", "priority", "least-nodes")
                .contains(a.expander)) {
            out.add(new Violation("autoscaling.expander", "expander", "unknown expander '" + a.expander + "'"));
        }
    }

    private static void checkDuration(String field, String value, List<Violation> out) {
        if (value != null && !GO_DURATION.matcher(value).matches()) {
            out.add(new Violation(field, "duration-format", "'" + value + "' is not a duration such as 10m or 1h30m"));
        }
    }

    static boolean validLabelKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    private static boolean reservedDomain(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = key.substring(0, slash);
        return RESERVED_LABEL_DOMAINS.stream().anyMatch(d -> prefix.equals(d) || prefix.endsWith("." + d));
    }

    private static boolean positiveQuantity(String q) {
        BigDecimal v = amount(q);
        return v != null && v.signum() > 0;
    }

    private static BigDecimal amount(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(new Quantity(q));
        } catch (RuntimeException e) {
            return null;
        }
    }
}

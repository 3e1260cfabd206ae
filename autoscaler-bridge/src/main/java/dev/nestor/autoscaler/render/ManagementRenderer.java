package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.nestor.support.render.Ordered.list;
import static dev.nestor.support.render.Ordered.map;
import static dev.nestor.autoscaler.render.Obj.resource;
import static dev.nestor.autoscaler.render.Obj.rule;
import static dev.nestor.autoscaler.render.Obj.with;

/**
 * Pure renderer of a cluster's autoscaler in the management cluster (DESIGN §7, topology 3 of reference §5.2):
 * ServiceAccount, a namespaced Role with exactly the management-side rules of reference §5.5, its RoleBinding, the
 * tenant kubeconfig Secret and the cluster-autoscaler Deployment, all in the tenant namespace.
 */
public final class ManagementRenderer {
    static final String KUBECONFIG_KEY = "kubeconfig";
    static final String KUBECONFIG_DIR = "/etc/nestor/tenant";
    /** cluster-autoscaler's metrics and health port. */
    static final int HEALTH_PORT = 8085;
    /** The distroless image's nonroot user. */
    static final long NONROOT = 65532L;

    private static final List<String> CRUD_READ_SCALE = List.of("get", "list", "update", "watch", "patch");
    private static final List<String> READ = List.of("get", "list", "watch");

    private ManagementRenderer() {
    }

    /** The management Role's rules: reference §5.5 "cluster-autoscaler-management", nothing more. */
    public static List<Map<String, Object>> managementRules() {
        return List.of(
                rule(List.of("cluster.x-k8s.io"), List.of("machinedeployments", "machinedeployments/scale", "machines",
                        "machinesets", "machinepools"), CRUD_READ_SCALE),
                rule(List.of("infrastructure.cluster.x-k8s.io"), List.of("kubevirtmachinetemplates"), READ));
    }

    /** Every management-side object, in apply order (identity first, the Deployment last). */
    public static List<GenericKubernetesResource> render(AutoscalerInput in) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        out.add(serviceAccount(in));
        out.add(role(in));
        out.add(roleBinding(in));
        out.add(kubeconfigSecret(in));
        out.add(deployment(in));
        return out;
    }

    static GenericKubernetesResource serviceAccount(AutoscalerInput in) {
        return resource("v1", "ServiceAccount", in.namespace(), Names.autoscaler(in.cluster()), Labels.of(in.cluster()));
    }

    static GenericKubernetesResource role(AutoscalerInput in) {
        return with(resource("rbac.authorization.k8s.io/v1", "Role", in.namespace(), Names.autoscaler(in.cluster()),
                Labels.of(in.cluster())), "rules", managementRules());
    }

    static GenericKubernetesResource roleBinding(AutoscalerInput in) {
        GenericKubernetesResource r = resource("rbac.authorization.k8s.io/v1", "RoleBinding", in.namespace(),
                Names.autoscaler(in.cluster()), Labels.of(in.cluster()));
        with(r, "roleRef", map("apiGroup", "rbac.authorization.k8s.io", "kind", "Role",
                "name", Names.autoscaler(in.cluster())));
        return with(r, "subjects", list(map("kind", "ServiceAccount", "name", Names.autoscaler(in.cluster()),
                "namespace", in.namespace())));
    }

    static GenericKubernetesResource kubeconfigSecret(AutoscalerInput in) {
        GenericKubernetesResource r = resource("v1", "Secret", in.namespace(), Names.kubeconfigSecret(in.cluster()),
                Labels.of(in.cluster()));
        with(r, "type", "Opaque");
        // data, not stringData: a server-side apply of stringData is never a no-op
        return with(r, "data", map(KUBECONFIG_KEY,
                Base64.getEncoder().encodeToString(in.tenantKubeconfig().getBytes(StandardCharsets.UTF_8))));
    }

    static GenericKubernetesResource deployment(AutoscalerInput in) {
        String name = Names.autoscaler(in.cluster());
        GenericKubernetesResource r = resource("apps/v1", "Deployment", in.namespace(), name, Labels.of(in.cluster()));
        List<Object> env = AutoscalerImages.needsV1beta1(in.kubernetesVersion())
                ? list(map("name", "CAPI_VERSION", "value", "v1beta1")) : null;
        Map<String, Object> container = map(
                "name", "cluster-autoscaler",
                "image", in.image(),
                "command", list("/cluster-autoscaler"),
                "args", args(in),
                "env", env,
                "ports", list(map("name", "metrics", "containerPort", HEALTH_PORT, "protocol", "TCP")),
                "livenessProbe", map("httpGet", map("path", "/health-check", "port", "metrics"),
                        "periodSeconds", 10, "failureThreshold", 3),
                "resources", map("requests", map("cpu", "100m", "memory", "300Mi"), "limits", map("memory", "600Mi")),
                "securityContext", map("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true,
                        "runAsNonRoot", true, "capabilities", map("drop", list("ALL")),
                        "seccompProfile", map("type", "RuntimeDefault")),
                "volumeMounts", list(map("name", "tenant-kubeconfig", "mountPath", KUBECONFIG_DIR, "readOnly", true)));
        Map<String, Object> podSpec = map(
                "serviceAccountName", name,
                "securityContext", map("runAsNonRoot", true, "runAsUser", NONROOT, "runAsGroup", NONROOT,
                        "seccompProfile", map("type", "RuntimeDefault")),
                "containers", list(container),
                "volumes", list(map("name", "tenant-kubeconfig",
                        "secret", map("secretName", Names.kubeconfigSecret(in.cluster()), "defaultMode", 0440))));
        return with(r, "spec", map(
                "replicas", 1,
                "selector", map("matchLabels", Labels.selector(in.cluster())),
                // one autoscaler at a time: two would fight over the tenant's Lease and scale twice
                "strategy", map("type", "Recreate"),
                "template", map(
                        "metadata", map("labels", Labels.pod(in.cluster()),
                                "annotations", Map.of(Labels.KUBECONFIG_HASH, sha256(in.tenantKubeconfig()))),
                        "spec", podSpec)));
    }

    static List<Object> args(AutoscalerInput in) {
        List<Object> args = new ArrayList<>();
        args.add("--cloud-provider=clusterapi");
        args.add("--kubeconfig=" + KUBECONFIG_DIR + "/" + KUBECONFIG_KEY);
        args.add("--clusterapi-cloud-config-authoritative");
        args.add("--node-group-auto-discovery=clusterapi:namespace=" + in.namespace() + ",clusterName=" + in.cluster());
        args.add("--namespace=" + Names.TENANT_NAMESPACE);
        args.addAll(in.settings().flags());
        return args;
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

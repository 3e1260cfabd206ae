package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secrets Kamaji and its Cluster API provider write for a tenant cluster {@code C}: {@code C-admin-kubeconfig}
 * (Kamaji's, keys {@code admin.conf}, {@code admin.svc}, {@code super-admin.conf}, {@code super-admin.svc}),
 * {@code C-kubeconfig} (the Cluster API contract: type {@code cluster.x-k8s.io/secret}, key {@code value}) and
 * {@code C-ca} (the CA, keys {@code tls.crt}/{@code tls.key} as the provider copies them from Kamaji's
 * {@code ca.crt}/{@code ca.key}). Here every kubeconfig reaches the tenant API server on the loopback address.
 */
final class ControlPlaneSecrets {

    static final String ADMIN_CONF = "admin.conf";
    static final String ADMIN_SVC = "admin.svc";
    static final String SUPER_ADMIN_CONF = "super-admin.conf";
    static final String SUPER_ADMIN_SVC = "super-admin.svc";
    static final String CAPI_SECRET_TYPE = "cluster.x-k8s.io/secret";

    private ControlPlaneSecrets() {
    }

    static String adminKubeconfig(String cluster) {
        return cluster + "-admin-kubeconfig";
    }

    static String kubeconfig(String cluster) {
        return cluster + "-kubeconfig";
    }

    static String ca(String cluster) {
        return cluster + "-ca";
    }

    /** Writes whichever of the three Secrets is missing or does not point at {@code serverUrl}. */
    static void ensure(KubernetesClient client, GenericKubernetesResource kcp, String cluster, String serverUrl) {
        String namespace = kcp.getMetadata().getNamespace();
        Secret caSecret = client.secrets().inNamespace(namespace).withName(ca(cluster)).get();
        ClusterCa ca = caSecret == null
                ? ClusterCa.generate()
                : ClusterCa.fromPem(decode(caSecret, "tls.crt"), decode(caSecret, "tls.key"));
        if (caSecret == null) {
            apply(client, secret(kcp, ca(cluster), "Opaque", capiLabels(cluster, kcp, "ca"),
                    Map.of("tls.crt", ca.certificatePem(), "tls.key", ca.keyPem())));
        }

        Secret admin = client.secrets().inNamespace(namespace).withName(adminKubeconfig(cluster)).get();
        String adminConf = admin == null ? null : decode(admin, ADMIN_CONF);
        if (adminConf == null || !adminConf.contains("server: " + serverUrl)) {
            ClusterCa.Credentials adminUser = ca.issueClient("kubernetes-admin", "kubeadm:cluster-admins");
            ClusterCa.Credentials superAdmin = ca.issueClient("kubernetes-super-admin", "system:masters");
            adminConf = Kubeconfigs.render(cluster, serverUrl, ca.certificatePem(), "kubernetes-admin", adminUser);
            String superAdminConf = Kubeconfigs.render(cluster, serverUrl, ca.certificatePem(),
                    "kubernetes-super-admin", superAdmin);
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("kamaji.clastix.io/name", kcp.getMetadata().getName());
            labels.put("kamaji.clastix.io/component", "admin-kubeconfig");
            labels.put("kamaji.clastix.io/project", "kamaji");
            // The .svc variants name the in-cluster Service in a real management cluster; here everything is local.
            apply(client, secret(kcp, adminKubeconfig(cluster), "Opaque", labels, Map.of(
                    ADMIN_CONF, adminConf, ADMIN_SVC, adminConf,
                    SUPER_ADMIN_CONF, superAdminConf, SUPER_ADMIN_SVC, superAdminConf)));
        }

        Secret capi = client.secrets().inNamespace(namespace).withName(kubeconfig(cluster)).get();
        if (capi == null || !adminConf.equals(decode(capi, "value"))) {
            apply(client, secret(kcp, kubeconfig(cluster), CAPI_SECRET_TYPE, capiLabels(cluster, kcp, "kubeconfig"),
                    Map.of("value", adminConf)));
        }
    }

    /** Deletes the three Secrets (what garbage collection does once the control plane is gone). */
    static void delete(KubernetesClient client, String namespace, String cluster) {
        for (String name : new String[] {adminKubeconfig(cluster), kubeconfig(cluster), ca(cluster)}) {
            client.secrets().inNamespace(namespace).withName(name).delete();
        }
    }

    private static Map<String, String> capiLabels(String cluster, GenericKubernetesResource kcp, String secret) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER_NAME, cluster);
        labels.put("kamaji.clastix.io/component", "capi");
        labels.put("kamaji.clastix.io/secret", secret);
        labels.put("kamaji.clastix.io/cluster", cluster);
        labels.put("kamaji.clastix.io/tcp", kcp.getMetadata().getName());
        return labels;
    }

    private static Secret secret(GenericKubernetesResource kcp, String name, String type, Map<String, String> labels,
            Map<String, String> data) {
        OwnerReference owner = Owners.controller(Kind.KAMAJI_CONTROL_PLANE, kcp);
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((key, value) -> encoded.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(kcp.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(owner)
                .endMetadata()
                .withType(type)
                .withData(encoded)
                .build();
    }

    private static void apply(KubernetesClient client, Secret secret) {
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret)
                .fieldManager(Managers.KAMAJI).forceConflicts().serverSideApply();
    }

    static String decode(Secret secret, String key) {
        if (secret.getData() == null || secret.getData().get(key) == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}

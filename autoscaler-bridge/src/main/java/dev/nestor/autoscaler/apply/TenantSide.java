package dev.nestor.autoscaler.apply;

import dev.nestor.autoscaler.render.Labels;
import dev.nestor.autoscaler.render.Names;
import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Writes the autoscaler's identity into a tenant cluster, reads its token, and removes it. */
public final class TenantSide {
    private TenantSide() {
    }

    /** Applies the rendered tenant objects with server-side apply under the bridge's field manager. */
    public static void apply(KubernetesClient tenant, List<GenericKubernetesResource> objects) {
        Applier applier = new Applier(tenant, Labels.MANAGER);
        objects.forEach(o -> applier.apply(Kinds.of(o), o));
    }

    /** The ServiceAccount token the tenant's token controller wrote; empty until it has. */
    public static Optional<String> token(KubernetesClient tenant) {
        Secret secret = tenant.secrets().inNamespace(Names.TENANT_NAMESPACE).withName(Names.tenantTokenSecret()).get();
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get("token");
        return encoded == null || encoded.isEmpty() ? Optional.empty()
                : Optional.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    /**
     * Deletes the autoscaler's identity from the tenant (the token Secret first, which revokes the token); true when
     * something was still there.
     */
    public static boolean remove(KubernetesClient tenant) {
        Applier applier = new Applier(tenant, Labels.MANAGER);
        boolean any = applier.delete(Kinds.SECRET, Names.TENANT_NAMESPACE, Names.tenantTokenSecret());
        any |= applier.delete(Kinds.ROLE_BINDING, Names.TENANT_NAMESPACE, Names.TENANT_ROLE);
        any |= applier.delete(Kinds.ROLE, Names.TENANT_NAMESPACE, Names.TENANT_ROLE);
        any |= deleteClusterScoped(tenant, Kinds.CLUSTER_ROLE_BINDING.getPlural());
        any |= deleteClusterScoped(tenant, Kinds.CLUSTER_ROLE.getPlural());
        any |= applier.delete(Kinds.SERVICE_ACCOUNT, Names.TENANT_NAMESPACE, Names.TENANT_SERVICE_ACCOUNT);
        return any;
    }

    private static boolean deleteClusterScoped(KubernetesClient tenant, String plural) {
        try {
            var rbac = tenant.rbac();
            return !(plural.equals("clusterroles")
                    ? rbac.clusterRoles().withName(Names.TENANT_ROLE).delete()
                    : rbac.clusterRoleBindings().withName(Names.TENANT_ROLE).delete()).isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}

package dev.nestor.cluster.api;

import dev.nestor.cluster.config.KubeconfigConfig;
import dev.nestor.cluster.kubeconfig.KubeconfigMinter;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.render.Names;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.security.Authenticated;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/tenants/{tenant}/clusters/{name}/kubeconfig}: a short-lived kubeconfig for the tenant cluster,
 * minted with the cluster's CA (DESIGN §11) instead of handing out Kamaji's long-lived admin credential.
 */
@Path("/api/v1/tenants/{tenant}/clusters/{name}/kubeconfig")
@Authenticated
public class KubeconfigResource {
    private static final Logger LOG = Logger.getLogger(KubeconfigResource.class);
    /** The media type of the answer. */
    public static final String APPLICATION_YAML = "application/yaml";
    private static final String NOT_READY = "control-plane-not-ready";
    /** Kamaji's admin kubeconfig key whose server and CA data the minted kubeconfig reuses. */
    private static final String ADMIN_CONF = "admin.conf";

    @Inject
    KubernetesClient client;
    @Inject
    TenantClusters clusters;
    @Inject
    KubeconfigConfig config;
    @Inject
    Clock clock;

    /**
     * Mints the kubeconfig. The identity in the certificate (its CN) is the caller's: the token's {@code upn}, else its
     * {@code preferred_username}, else its {@code sub} (a token naming none is refused at authentication).
     */
    @GET
    @Produces(APPLICATION_YAML)
    public Response get(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @QueryParam("ttl") String ttl, @Context SecurityContext security) {
        TenantCluster tc = clusters.find(tenant, name);
        String namespace = tc.getMetadata().getNamespace();
        Duration lifetime = lifetime(ttl);

        String adminSecretName = tc.getStatus() == null ? null : tc.getStatus().kubeconfigSecretName;
        if (adminSecretName == null) {
            String phase = tc.getStatus() == null || tc.getStatus().phase == null ? "Pending" : tc.getStatus().phase;
            throw notReady("the control plane of cluster '" + name + "' is not ready yet (phase " + phase + ")");
        }
        String adminConf = decode(secret(namespace, adminSecretName), ADMIN_CONF);
        if (adminConf == null) {
            throw notReady("the control plane of cluster '" + name + "' has not published its admin kubeconfig yet");
        }
        String caSecretName = Names.caSecret(name);
        // Kamaji's provider copies ca.crt/ca.key to tls.crt/tls.key; accept Kamaji's own names too.
        Secret ca = secret(namespace, caSecretName);
        String caCertificate = decode(ca, "tls.crt") != null ? decode(ca, "tls.crt") : decode(ca, "ca.crt");
        String caKey = decode(ca, "tls.key") != null ? decode(ca, "tls.key") : decode(ca, "ca.key");
        if (caCertificate == null || caKey == null) {
            throw notReady("the certificate authority of cluster '" + name + "' is not available yet");
        }

        String identity = security.getUserPrincipal().getName();
        Instant now = clock.instant();
        String kubeconfig;
        try {
            kubeconfig = KubeconfigMinter.fromPem(caCertificate, caKey).mint(tenant + "-" + name,
                    KubeconfigMinter.Endpoint.fromKubeconfig(adminConf), identity, now, lifetime);
        } catch (IllegalArgumentException e) {
            LOG.errorf("cannot mint a kubeconfig for %s/%s from Secrets %s and %s: %s", namespace, name,
                    adminSecretName, caSecretName, e.getMessage());
            throw new ProblemException(Problem.of(500, "control-plane-credentials-unusable", "Internal Server Error",
                    "the control plane credentials of cluster '" + name + "' are unusable; the service log names the cause"));
        }
        LOG.infof("minted a kubeconfig for %s on cluster %s/%s valid until %s", identity, namespace, name,
                now.plus(lifetime));
        // A credential: no cache may keep it.
        return Response.ok(kubeconfig, APPLICATION_YAML).header("Cache-Control", "no-store").build();
    }

    /** The configured TTL, or the shorter one the caller asked for. */
    private Duration lifetime(String ttl) {
        if (ttl == null) {
            return config.ttl();
        }
        try {
            return KubeconfigMinter.effectiveTtl(config.ttl(), DurationConverter.parseDuration(ttl.strip()));
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.of(400, "bad-ttl", "Bad Request",
                    "ttl must be a positive duration such as PT1H, at most " + config.ttl())
                    .withErrors(List.of(new Problem.FieldError("ttl", "duration", e.getMessage()))));
        }
    }

    private Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private static String decode(Secret secret, String key) {
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static ProblemException notReady(String detail) {
        return ProblemException.conflict(NOT_READY, detail);
    }
}

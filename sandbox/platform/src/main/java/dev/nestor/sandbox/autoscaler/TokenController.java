package dev.nestor.sandbox.autoscaler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The tenant kube-controller-manager's token controller, as far as the sandbox needs it: fills {@code token},
 * {@code namespace} and {@code ca.crt} of every {@code kubernetes.io/service-account-token} Secret whose
 * ServiceAccount exists. (The sandbox tenant API servers accept any token.)
 */
final class TokenController {
    static final String TYPE = "kubernetes.io/service-account-token";
    static final String SERVICE_ACCOUNT = "kubernetes.io/service-account.name";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenController() {
    }

    /** One pass over a tenant's Secrets; returns how many it filled. */
    static int fill(KubernetesClient tenant) {
        int filled = 0;
        for (Secret secret : tenant.secrets().inAnyNamespace().list().getItems()) {
            String account = secret.getMetadata().getAnnotations() == null ? null
                    : secret.getMetadata().getAnnotations().get(SERVICE_ACCOUNT);
            boolean empty = secret.getData() == null || secret.getData().get("token") == null;
            String ns = secret.getMetadata().getNamespace();
            if (!TYPE.equals(secret.getType()) || account == null || !empty
                    || tenant.serviceAccounts().inNamespace(ns).withName(account).get() == null) {
                continue;
            }
            byte[] token = new byte[24];
            RANDOM.nextBytes(token);
            tenant.secrets().inNamespace(ns).withName(secret.getMetadata().getName()).edit(s -> new SecretBuilder(s)
                    .addToData("token", b64("sandbox-" + HexFormat.of().formatHex(token)))
                    .addToData("namespace", b64(ns))
                    .addToData("ca.crt", b64("")).build());
            filled++;
        }
        return filled;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

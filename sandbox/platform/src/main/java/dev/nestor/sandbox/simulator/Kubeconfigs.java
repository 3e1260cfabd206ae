package dev.nestor.sandbox.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Renders kubeconfig files the way kubeadm writes {@code admin.conf}. */
final class Kubeconfigs {

    private Kubeconfigs() {
    }

    static String render(String cluster, String serverUrl, String caPem, String user,
            ClusterCa.Credentials credentials) {
        String context = user + "@" + cluster;
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: %s
                contexts:
                - context:
                    cluster: %s
                    user: %s
                  name: %s
                current-context: %s
                preferences: {}
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(base64(caPem), serverUrl, cluster, cluster, user, context, context, user,
                base64(credentials.certificatePem()), base64(credentials.keyPem()));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

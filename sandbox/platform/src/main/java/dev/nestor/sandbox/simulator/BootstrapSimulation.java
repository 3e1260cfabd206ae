package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kubeadm bootstrap provider: once the control plane is initialized, a KubeadmConfig gets its bootstrap data
 * Secret (cloud-config running {@code kubeadm join}) and the v1beta2 status pointing at it.
 */
final class BootstrapSimulation {

    private BootstrapSimulation() {
    }

    static void reconcile(Reconciliation r, GenericKubernetesResource config) {
        if (config == null || Fields.deleting(config)) {
            return;
        }
        Conditions c = Conditions.of(Fields.list(config, "status", "conditions"), Fields.generation(config), r.now);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", Fields.generation(config));
        if (!r.observed.controlPlaneInitialized()) {
            String waiting = "Waiting for Cluster control plane to be initialized";
            c.set("Ready", false, "NotReady", waiting);
            c.set("DataSecretAvailable", false, "NotAvailable", waiting);
            c.set("CertificatesAvailable", false, "NotAvailable", waiting);
        } else if (!r.elapsed(config.getMetadata().getUid() + "/bootstrap-data", r.timings.bootstrapData())) {
            c.set("Ready", false, "NotReady", "Generating the bootstrap data");
            c.set("DataSecretAvailable", false, "NotAvailable", "Generating the bootstrap data");
            c.set("CertificatesAvailable", true, "Available", "");
        } else {
            writeDataSecret(r, config);
            status.put("dataSecretName", Fields.name(config));
            status.put("initialization", Map.of("dataSecretCreated", true));
            c.set("Ready", true, "Ready", "");
            c.set("DataSecretAvailable", true, "Available", "");
            c.set("CertificatesAvailable", true, "Available", "");
        }
        c.set("Paused", false, "NotPaused", "");
        status.put("conditions", c.build());
        r.api.applyStatus(Kind.KUBEADM_CONFIG, config, status, Managers.KUBEADM_BOOTSTRAP);
    }

    /** The bootstrap data of a Machine, named after its KubeadmConfig as CABPK names it. */
    private static void writeDataSecret(Reconciliation r, GenericKubernetesResource config) {
        String ns = config.getMetadata().getNamespace();
        if (r.api.client().secrets().inNamespace(ns).withName(Fields.name(config)).get() != null) {
            return;
        }
        String endpoint = Fields.string(r.observed.cluster, "spec", "controlPlaneEndpoint", "host") + ":"
                + Fields.string(r.observed.cluster, "spec", "controlPlaneEndpoint", "port");
        String cloudConfig = """
                ## template: jinja
                #cloud-config
                write_files:
                - path: /run/kubeadm/kubeadm-join-config.yaml
                  owner: root:root
                  permissions: '0640'
                  content: |
                    apiVersion: kubeadm.k8s.io/v1beta4
                    kind: JoinConfiguration
                    discovery:
                      bootstrapToken:
                        apiServerEndpoint: %s
                    nodeRegistration:
                      name: '{{ ds.meta_data.local_hostname }}'
                      kubeletExtraArgs:
                      - name: cloud-provider
                        value: external
                runcmd:
                  - kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml
                """.formatted(endpoint);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(Fields.name(config))
                .withNamespace(ns)
                .withLabels(Map.of(Labels.CLUSTER_NAME, r.key().name()))
                .withOwnerReferences(Owners.controller(Kind.KUBEADM_CONFIG, config))
                .endMetadata()
                .withType(ControlPlaneSecrets.CAPI_SECRET_TYPE)
                .withStringData(Map.of("value", cloudConfig, "format", "cloud-config"))
                .build();
        r.api.client().secrets().inNamespace(ns).resource(secret)
                .fieldManager(Managers.KUBEADM_BOOTSTRAP).forceConflicts().serverSideApply();
    }
}

package dev.nestor.sandbox.autoscaler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Simulated cluster-autoscalers (clusterapi provider, autoscaler in the management cluster): for every Deployment
 * {@code <cluster>-cluster-autoscaler} that exists in the management API, and only while it does, an autoscaler
 * reads the tenant's pods through the kubeconfig Secret the Deployment mounts, raises the replicas of the cluster's
 * autoscaled MachineDeployments through their {@code scale} subresource while pods are pending (bounded by the max
 * annotation) and brings them back to the min once nothing has been pending for a while. The machine simulator
 * follows the replicas. It also plays what would run the autoscaler's pod (the Deployment's status) and the tenants'
 * token controller (service-account-token Secrets).
 */
public final class SimulatedAutoscalers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAutoscalers.class);
    static final String MIN = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    static final String MAX = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";
    /** The autoscaler Deployment of cluster C is {@code C-cluster-autoscaler}. */
    static final String SUFFIX = "-cluster-autoscaler";
    static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = new ResourceDefinitionContext.Builder()
            .withGroup("cluster.x-k8s.io").withVersion("v1beta2").withKind("MachineDeployment")
            .withPlural("machinedeployments").withNamespaced(true).build();

    private final KubernetesClient management;
    private final AutoscalerTimings timings;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    /** Clients by kubeconfig text: a tenant reached through one identity or another. */
    private final Map<String, KubernetesClient> tenants = new ConcurrentHashMap<>();
    /** When each autoscaler (by Deployment namespace/name) last saw a pending pod. */
    private final Map<String, Instant> lastBusy = new ConcurrentHashMap<>();

    /** Autoscalers acting through {@code management}, which they own and close. */
    public SimulatedAutoscalers(KubernetesClient management, AutoscalerTimings timings) {
        this(management, timings, Clock.systemUTC());
    }

    SimulatedAutoscalers(KubernetesClient management, AutoscalerTimings timings, Clock clock) {
        this.management = management;
        this.timings = timings;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-autoscalers");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts looking every tick; returns at once. */
    public void start() {
        long tick = timings.tick().toMillis();
        executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        LOG.info("Simulated cluster-autoscalers started");
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tenants.values().forEach(KubernetesClient::close);
        tenants.clear();
        management.close();
    }

    /** One pass: every tenant's token controller, then every autoscaler. */
    void tick() {
        Set<String> used = new HashSet<>();
        try {
            for (Secret admin : management.secrets().inAnyNamespace()
                    .withLabel("kamaji.clastix.io/component", "admin-kubeconfig").list().getItems()) {
                kubeconfig(admin, "super-admin.conf").ifPresent(k -> {
                    used.add(k);
                    guarded("token controller", () -> TokenController.fill(tenant(k)));
                });
            }
            for (Deployment d : management.apps().deployments().inAnyNamespace().list().getItems()) {
                if (d.getMetadata().getName().endsWith(SUFFIX) && d.getMetadata().getDeletionTimestamp() == null) {
                    guarded(d.getMetadata().getName(), () -> autoscale(d, used));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Simulated autoscalers could not look: {}", e.toString());
        }
        tenants.keySet().removeIf(k -> {
            if (used.contains(k)) {
                return false;
            }
            tenants.get(k).close();
            return true;
        });
    }

    private void autoscale(Deployment d, Set<String> used) {
        String ns = d.getMetadata().getNamespace();
        String name = d.getMetadata().getName();
        String cluster = name.substring(0, name.length() - SUFFIX.length());
        Optional<String> kubeconfig = kubeconfigSecret(d)
                .map(secret -> management.secrets().inNamespace(ns).withName(secret).get())
                .flatMap(s -> kubeconfig(s, "kubeconfig"));
        if (kubeconfig.isEmpty()) {
            return; // the pod would not start without its kubeconfig
        }
        used.add(kubeconfig.get());
        markRunning(d);
        List<Pod> pods = tenant(kubeconfig.get()).pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                .toList();
        int pending = (int) pods.stream().filter(p -> p.getSpec().getNodeName() == null).count();
        int scheduled = pods.size() - pending;
        String key = ns + "/" + d.getMetadata().getName();
        Instant now = clock.instant();
        if (pending > 0) {
            lastBusy.put(key, now);
        }
        boolean idle = !lastBusy.getOrDefault(key, Instant.EPOCH).plus(timings.scaleDownAfter()).isAfter(now);
        List<GenericKubernetesResource> groups = management.genericKubernetesResources(MACHINE_DEPLOYMENTS)
                .inNamespace(ns).list().getItems().stream()
                .filter(md -> cluster.equals(spec(md).get("clusterName")) && bound(md, MIN) != null && bound(md, MAX) != null)
                .sorted(Comparator.comparing(md -> md.getMetadata().getName()))
                .toList();
        // the first group with room takes the pending pods (an expander's choice); the others only scale down
        boolean placed = false;
        for (GenericKubernetesResource md : groups) {
            if (!(spec(md).get("replicas") instanceof Number current)) {
                continue;
            }
            int min = bound(md, MIN);
            int max = bound(md, MAX);
            boolean takesPods = !placed && current.intValue() < max;
            int target = ScalingDecision.target(min, max, current.intValue(), takesPods ? pending : 0,
                    placed ? 0 : scheduled, timings.podsPerNode(), idle);
            placed |= takesPods;
            if (target != current.intValue()) {
                LOG.info("Simulated autoscaler of {}/{} scales {} from {} to {} ({} pods pending)", ns, cluster,
                        md.getMetadata().getName(), current, target, pending);
                management.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace(ns)
                        .withName(md.getMetadata().getName()).scale(target);
            }
        }
    }

    /** What the Deployment controller and the kubelet would report once the autoscaler's pod runs. */
    private void markRunning(Deployment d) {
        Long generation = d.getMetadata().getGeneration();
        var status = d.getStatus();
        if (status != null && generation != null && generation.equals(status.getObservedGeneration())
                && Integer.valueOf(1).equals(status.getAvailableReplicas())) {
            return;
        }
        management.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName()).editStatus(current -> {
                    current.setStatus(new DeploymentStatusBuilder()
                            .withObservedGeneration(current.getMetadata().getGeneration())
                            .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                            .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                                    .withReason("MinimumReplicasAvailable")
                                    .withLastTransitionTime(clock.instant().toString()).build())
                            .build());
                    return current;
                });
    }

    private KubernetesClient tenant(String kubeconfig) {
        return tenants.computeIfAbsent(kubeconfig,
                k -> new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k)).build());
    }

    private static Optional<String> kubeconfigSecret(Deployment d) {
        List<Volume> volumes = d.getSpec().getTemplate().getSpec().getVolumes();
        return volumes == null ? Optional.empty() : volumes.stream().filter(v -> v.getSecret() != null)
                .map(v -> v.getSecret().getSecretName()).filter(n -> n.endsWith("-kubeconfig")).findFirst();
    }

    private static Optional<String> kubeconfig(Secret secret, String key) {
        return secret == null || secret.getData() == null || secret.getData().get(key) == null ? Optional.empty()
                : Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }

    private static Map<?, ?> spec(GenericKubernetesResource md) {
        return md.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? m : Map.of();
    }

    private static Integer bound(GenericKubernetesResource md, String annotation) {
        Map<String, String> a = md.getMetadata().getAnnotations();
        try {
            return a == null || a.get(annotation) == null ? null : Integer.parseInt(a.get(annotation).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.debug("Simulated {} failed this tick, trying again: {}", what, e.toString());
        }
    }
}

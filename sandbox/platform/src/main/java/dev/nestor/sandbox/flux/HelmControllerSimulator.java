package dev.nestor.sandbox.flux;

import io.micrometer.core.instrument.Metrics;
import dev.nestor.support.work.WakeOnChange;
import dev.nestor.support.work.WorkQueue;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Flux helm-controller for the sandbox (reference kubevirt-csi-ccm-flux-caaph.md §3): it reconciles every
 * {@code helm.toolkit.fluxcd.io/v2} HelmRelease of the management API server, level-triggered. A release installs
 * after a short delay once each of its {@code dependsOn} is Ready (at its current generation) and the tenant API
 * server named by its kubeconfig Secret answers; the install leaves the target namespace and a ConfigMap
 * {@code helm-release-<releaseName>} describing it in the tenant. It honours {@code suspend} and models Flux's
 * finalizer: a deleted release is uninstalled from the tenant first, so an unsuspended one whose tenant API is
 * unreachable stays stuck (the real failure mode), while a suspended one, or one whose kubeconfig Secret is gone, is
 * let go at once.
 *
 * <p>Failure injection: the annotation {@value #FAIL_ANNOTATION} on the TenantCluster named by the release's
 * {@code nestor.dev/cluster} label, with a part {@code addon:<name>} (comma-separated), makes the install of that
 * add-on fail with {@code InstallFailed} until the part is removed.
 */
public final class HelmControllerSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HelmControllerSimulator.class);
    static final String FINALIZER = "finalizers.fluxcd.io";
    static final String FAIL_ANNOTATION = "sandbox.nestor.dev/fail";
    static final String MANAGER = "helm-controller";
    static final ResourceDefinitionContext HELM_RELEASE = namespaced("helm.toolkit.fluxcd.io", "v2", "HelmRelease",
            "helmreleases");
    static final ResourceDefinitionContext OCI_REPOSITORY = namespaced("source.toolkit.fluxcd.io", "v1",
            "OCIRepository", "ocirepositories");
    static final ResourceDefinitionContext TENANT_CLUSTER = namespaced("nestor.dev", "v1alpha1", "TenantCluster",
            "tenantclusters");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final KubernetesClient client;
    private final FluxTimings timings;
    private final Clock clock;
    private final TenantClients tenants;
    private final ScheduledExecutorService executor;
    private final WorkQueue<String> queue;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

    public HelmControllerSimulator(KubernetesClient client, FluxTimings timings) {
        this(client, timings, Clock.systemUTC());
    }

    HelmControllerSimulator(KubernetesClient client, FluxTimings timings, Clock clock) {
        this.client = client;
        this.timings = timings;
        this.clock = clock;
        this.tenants = new TenantClients(client);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "helm-controller-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.queue = new WorkQueue<>("helm-controller", Metrics.globalRegistry, executor, this::reconcile);
    }

    /** Starts watching HelmReleases (and TenantClusters, for injected failures); returns at once. */
    public void start() {
        SharedIndexInformer<GenericKubernetesResource> releases = client.genericKubernetesResources(HELM_RELEASE)
                .inAnyNamespace().runnableInformer(0);
        releases.addEventHandler(handler(r -> List.of(key(r)), true));
        SharedIndexInformer<GenericKubernetesResource> clusters = client.genericKubernetesResources(TENANT_CLUSTER)
                .inAnyNamespace().runnableInformer(0);
        clusters.addEventHandler(handler(this::releasesOfCluster, false));
        // The release informer is first: its store finds the dependents of a release that became Ready.
        informers.add(releases);
        informers.add(clusters);
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            // A kind the API server does not serve just keeps retrying quietly.
            informer.exceptionHandler((started, failure) -> true);
            informer.start();
        }
        long resync = timings.resync().toMillis();
        executor.scheduleAtFixedRate(this::resyncAll, resync, resync, TimeUnit.MILLISECONDS);
        LOG.info("Simulated Flux helm-controller started");
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        queue.close();
        executor.shutdownNow();
        tenants.close();
    }

    private Optional<Duration> reconcile(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        GenericKubernetesResource release = client.genericKubernetesResources(HELM_RELEASE).inNamespace(namespace)
                .withName(name).get();
        if (release == null) {
            return Optional.empty();
        }
        try {
            if (release.getMetadata().getDeletionTimestamp() != null) {
                return finalize(release);
            }
            if (!hasFinalizer(release)) {
                List<String> finalizers = new ArrayList<>(Optional.ofNullable(release.getMetadata().getFinalizers()).orElse(List.of()));
                finalizers.add(FINALIZER);
                mergePatch(release, Map.of("metadata", Map.of("finalizers", finalizers)));
                return Optional.of(Duration.ZERO);
            }
            if (Boolean.TRUE.equals(Objects.at(release, "spec", "suspend"))) {
                return Optional.empty();
            }
            return HelmActions.reconcile(this, release, clock.instant());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return Optional.of(timings.dependencyRequeue());
            }
            throw e;
        }
    }

    /** Flux's finalizer: uninstall unless suspended or the kubeconfig is gone; stuck while the tenant is unreachable. */
    private Optional<Duration> finalize(GenericKubernetesResource release) {
        if (!hasFinalizer(release)) {
            return Optional.empty();
        }
        if (!Boolean.TRUE.equals(Objects.at(release, "spec", "suspend"))) {
            TenantClients.Access access = access(release);
            if (access instanceof TenantClients.Access.Client tenant) {
                Optional<String> down = TenantClients.unreachable(tenant.client());
                if (down.isPresent()) {
                    LOG.debug("Cannot uninstall {}: {}", key(release), down.get());
                    return Optional.of(timings.retry());
                }
                HelmActions.uninstall(tenant.client(), release);
            }
        }
        List<String> finalizers = new ArrayList<>(release.getMetadata().getFinalizers());
        finalizers.remove(FINALIZER);
        mergePatch(release, Map.of("metadata", Map.of("finalizers", finalizers)));
        return Optional.empty();
    }

    TenantClients.Access access(GenericKubernetesResource release) {
        return tenants.of(release.getMetadata().getNamespace(),
                Objects.string(release, "spec", "kubeConfig", "secretRef", "name"),
                Objects.string(release, "spec", "kubeConfig", "secretRef", "key"));
    }

    GenericKubernetesResource get(ResourceDefinitionContext kind, String namespace, String name) {
        return client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get();
    }

    FluxTimings timings() {
        return timings;
    }

    void writeStatus(GenericKubernetesResource release, ReleaseStatus status) {
        Map<String, Object> written = status.build();
        if (written.equals(release.getAdditionalProperties().get("status"))) {
            return;
        }
        client.genericKubernetesResources(HELM_RELEASE).inNamespace(release.getMetadata().getNamespace())
                .withName(release.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), SERIALIZATION.asJson(Map.of("status", written)));
    }

    private void mergePatch(GenericKubernetesResource release, Map<String, Object> patch) {
        client.genericKubernetesResources(HELM_RELEASE).inNamespace(release.getMetadata().getNamespace())
                .withName(release.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), SERIALIZATION.asJson(patch));
    }

    /** The add-ons whose install fails by injection, from the TenantCluster the release belongs to. */
    List<String> injectedFailures(GenericKubernetesResource release) {
        String cluster = Objects.label(release, "nestor.dev/cluster");
        if (cluster == null) {
            return List.of();
        }
        GenericKubernetesResource tc = get(TENANT_CLUSTER, release.getMetadata().getNamespace(), cluster);
        String annotation = tc == null || tc.getMetadata().getAnnotations() == null ? null
                : tc.getMetadata().getAnnotations().get(FAIL_ANNOTATION);
        if (annotation == null) {
            return List.of();
        }
        List<String> addons = new ArrayList<>();
        for (String part : annotation.split(",")) {
            if (part.trim().startsWith("addon:")) {
                addons.add(part.trim().substring("addon:".length()));
            }
        }
        return addons;
    }

    /** Whether a dependency is Ready at its current generation (helm-controller's built-in readiness check). */
    static boolean ready(GenericKubernetesResource release) {
        if (Objects.number(release, -1, "status", "observedGeneration") != Objects.generation(release)) {
            return false;
        }
        return Objects.list(release, "status", "conditions").stream()
                .anyMatch(c -> ReleaseStatus.READY.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static boolean hasFinalizer(GenericKubernetesResource release) {
        return release.getMetadata().getFinalizers() != null && release.getMetadata().getFinalizers().contains(FINALIZER);
    }

    private List<String> releasesOfCluster(GenericKubernetesResource tc) {
        return client.genericKubernetesResources(HELM_RELEASE).inNamespace(tc.getMetadata().getNamespace())
                .withLabel("nestor.dev/cluster", tc.getMetadata().getName()).list().getItems().stream()
                .map(HelmControllerSimulator::key).toList();
    }

    private void resyncAll() {
        try {
            client.genericKubernetesResources(HELM_RELEASE).inAnyNamespace().list().getItems()
                    .forEach(r -> queue.add(key(r)));
        } catch (RuntimeException e) {
            LOG.warn("Periodic resync failed: {}", e.toString());
        }
    }

    /** A release changing wakes itself and every release that depends on it. */
    private ResourceEventHandler<GenericKubernetesResource> handler(
            java.util.function.Function<GenericKubernetesResource, List<String>> keys, boolean dependents) {
        return new WakeOnChange<>(object -> {
            keys.apply(object).forEach(queue::add);
            if (dependents && ready(object)) {
                informers.get(0).getStore().list().stream()
                        .filter(other -> Objects.list(other, "spec", "dependsOn").stream()
                                .anyMatch(d -> object.getMetadata().getName().equals(d.get("name"))))
                        .forEach(other -> queue.add(key(other)));
            }
        });
    }

    static String key(GenericKubernetesResource object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    private static ResourceDefinitionContext namespaced(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    static void ensureNamespace(KubernetesClient tenant, String namespace) {
        tenant.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .fieldManager(MANAGER).forceConflicts().serverSideApply();
    }

    static void writeConfigMap(KubernetesClient tenant, String namespace, String name, Map<String, String> data,
            Map<String, String> labels) {
        tenant.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).withLabels(labels).endMetadata().withData(data).build())
                .fieldManager(MANAGER).forceConflicts().serverSideApply();
    }

    static Instant parse(Object time) {
        return Instant.parse(time.toString());
    }
}

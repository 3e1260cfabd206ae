package dev.nestor.sandbox.simulator;

import io.micrometer.core.instrument.Metrics;
import dev.nestor.support.work.WakeOnChange;
import dev.nestor.sandbox.storage.ManagementStorage;
import dev.nestor.support.work.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated upstream controllers for a management API server, in the spirit of Cluster API's in-memory provider:
 * Cluster API core (Cluster, MachineDeployment, MachineSet, Machine, MachineHealthCheck), the kubeadm bootstrap
 * provider, Kamaji with its control-plane provider, CAPK, KubeVirt and the tenant kubelets. It watches the
 * management API server with informers and reconciles one Cluster API cluster at a time, level-triggered: every
 * reconcile re-reads the cluster's objects, advances whatever is due, and writes statuses that validate against the
 * upstream schemas. Step delays come from {@link SimulationTimings}; nothing sleeps.
 *
 * <p>Failures are injected with the annotation {@code sandbox.nestor.dev/fail} on the owning TenantCluster:
 * {@code control-plane}, {@code worker-vm} or {@code tenant-api} (the tenant API server stops; its kubeconfig Secrets
 * stay). Add-on install failures ({@code addon:<name>}) are the simulated helm-controller's
 * ({@code dev.nestor.sandbox.flux}).
 */
public final class Simulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    /** Informer events arriving together (one write often touches several objects) become one reconcile. */
    private static final Duration DEBOUNCE = Duration.ofMillis(20);
    private static final List<Kind> WATCHED = List.of(Kind.CLUSTER, Kind.KAMAJI_CONTROL_PLANE, Kind.KUBEVIRT_CLUSTER,
            Kind.MACHINE_DEPLOYMENT, Kind.MACHINE_SET, Kind.MACHINE, Kind.MACHINE_HEALTH_CHECK, Kind.KUBEADM_CONFIG,
            Kind.KUBEVIRT_MACHINE, Kind.VIRTUAL_MACHINE, Kind.VIRTUAL_MACHINE_INSTANCE, Kind.TENANT_CLUSTER);

    private final Api api;
    private final SimulationTimings timings;
    private final RandomGenerator random;
    private final Clock clock;
    private final TenantApiServers tenants = new TenantApiServers();
    private final Map<ClusterKey, Delays> delays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private final WorkQueue<ClusterKey> queue;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final ManagementStorage storage;

    /** A simulator with the given timings and a real clock. */
    public Simulator(KubernetesClient client, SimulationTimings timings) {
        this(client, timings, RandomGenerator.getDefault(), Clock.systemUTC());
    }

    Simulator(KubernetesClient client, SimulationTimings timings, RandomGenerator random, Clock clock) {
        this.api = new Api(client);
        this.timings = timings;
        this.random = random;
        this.clock = clock;
        this.executor = Executors.newScheduledThreadPool(2, daemonThreads());
        this.queue = new WorkQueue<>("upstream-controllers", Metrics.globalRegistry, executor, this::reconcile);
        this.storage = new ManagementStorage(client);
    }

    /** Starts watching; returns at once (informers sync in the background). */
    public void start() {
        for (Kind kind : WATCHED) {
            SharedIndexInformer<GenericKubernetesResource> informer = api.client()
                    .genericKubernetesResources(kind.context()).inAnyNamespace().runnableInformer(0);
            informer.addEventHandler(new WakeOnChange<>(object -> clusterOf(kind, object)
                    .ifPresent(key -> queue.addAfter(key, DEBOUNCE))));
            // A kind the API server does not serve (no TenantCluster CRD, say) just keeps retrying quietly.
            informer.exceptionHandler((started, failure) -> {
                LOG.debug("Watch of {} failed, retrying: {}", kind.plural(), failure.toString());
                return true;
            });
            informer.start();
            informers.add(informer);
        }
        long resync = timings.resync().toMillis();
        executor.scheduleAtFixedRate(this::resyncAll, resync, resync, TimeUnit.MILLISECONDS);
        storage.start();
        LOG.info("Simulated Cluster API, Kamaji and CAPK controllers started");
    }

    /** The clusters whose tenant API server currently runs. */
    public Set<ClusterKey> runningTenantClusters() {
        return tenants.clusters();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        storage.close();
        queue.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tenants.close();
    }

    private Optional<Duration> reconcile(ClusterKey key) {
        try {
            return reconcileCluster(key);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            // Another writer got there first, or an object went away since it was observed: observe again.
            LOG.debug("Stale observation reconciling {}, looking again: {}", key, e.getMessage());
            return Optional.of(Reconciliation.SOON);
        }
    }

    private Optional<Duration> reconcileCluster(ClusterKey key) {
        Observed observed = Observed.load(api, key, tenants);
        Delays clusterDelays = delays.computeIfAbsent(key, k -> new Delays(timings, random));
        Reconciliation r = new Reconciliation(api, observed, clusterDelays, timings, tenants, clock.instant());
        if (observed.cluster == null) {
            KamajiSimulation.tearDownIfGone(r);
            if (observed.controlPlane == null) {
                delays.remove(key);
            }
            return Optional.empty();
        }
        if (observed.clusterDeleting()) {
            ClusterDeletion.reconcile(r);
        } else if (ClusterSimulation.reconcile(r)) {
            KamajiSimulation.reconcile(r);
            KamajiSimulation.tearDownIfGone(r);
            MachineDeploymentSimulation.reconcile(r);
            MachineSetSimulation.reconcile(r);
            MachineSimulation.reconcile(r);
            HealthCheckSimulation.reconcile(r);
        }
        LOG.debug("Reconciled {}, next look in {}", key, r.requeue().orElse(null));
        return r.requeue();
    }

    private void resyncAll() {
        try {
            api.client().genericKubernetesResources(Kind.CLUSTER.context()).inAnyNamespace().list().getItems()
                    .forEach(cluster -> queue.add(new ClusterKey(cluster.getMetadata().getNamespace(),
                            cluster.getMetadata().getName())));
            tenants.clusters().forEach(queue::add);
        } catch (RuntimeException e) {
            LOG.warn("Periodic resync failed: {}", e.toString());
        }
    }

    /** The cluster an object belongs to. */
    static Optional<ClusterKey> clusterOf(Kind kind, GenericKubernetesResource object) {
        String ns = object.getMetadata().getNamespace();
        if (ns == null) {
            return Optional.empty();
        }
        if (kind.equals(Kind.CLUSTER) || kind.equals(Kind.TENANT_CLUSTER)) {
            return Optional.of(new ClusterKey(ns, Fields.name(object)));
        }
        String clusterName = Fields.string(object, "spec", "clusterName");
        if (clusterName == null) {
            clusterName = Fields.label(object, Labels.CLUSTER_NAME);
        }
        if (clusterName == null) {
            clusterName = Fields.owner(object, Kind.CLUSTER.kind()).map(ref -> ref.getName()).orElse(null);
        }
        if (clusterName == null && (kind.equals(Kind.KAMAJI_CONTROL_PLANE) || kind.equals(Kind.KUBEVIRT_CLUSTER))) {
            // Before the Cluster controller labels them: Nestor names them after their cluster.
            clusterName = Optional.ofNullable(Fields.label(object, Labels.NESTOR_CLUSTER)).orElse(Fields.name(object));
        }
        return Optional.ofNullable(clusterName).map(name -> new ClusterKey(ns, name));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package dev.nestor.autoscaler.messaging;

import dev.nestor.autoscaler.render.NodeGroup;
import dev.nestor.autoscaler.render.NodeGroups;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches MachineDeployments: every change wakes the owning cluster's reconcile, and every change of an autoscaled
 * group's desired replicas becomes a {@code nodegroup.scaled} event. The scaling history is not written here: every
 * replica reads it back from the topic ({@link ScalingHistoryReader}), so an event shows once, on every replica.
 * Handlers only record and enqueue (DESIGN §5.3).
 */
public final class MachineDeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    private static final Logger LOG = LoggerFactory.getLogger(MachineDeploymentEvents.class);

    private final Consumer<String> wake;
    private final Function<String, Optional<ClusterStateSnapshot>> snapshots;
    private final Reports reports;
    private final Clock clock;

    public MachineDeploymentEvents(Consumer<String> wake, Function<String, Optional<ClusterStateSnapshot>> snapshots,
            Reports reports, Clock clock) {
        this.wake = wake;
        this.snapshots = snapshots;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public void onAdd(GenericKubernetesResource md) {
        key(md).ifPresent(wake);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        Optional<String> key = key(after);
        if (key.isEmpty()) {
            return;
        }
        String cluster = clusterName(after);
        NodeGroup old = NodeGroups.of(cluster, List.of(before)).stream().findFirst().orElse(null);
        NodeGroup now = NodeGroups.of(cluster, List.of(after)).stream().findFirst().orElse(null);
        if (old != null && now != null && now.autoscaled() && old.desired() != null && now.desired() != null
                && !Objects.equals(old.desired(), now.desired())) {
            ScalingEvent event = ScalingEvent.of(OffsetDateTime.now(clock), now.name(), old.desired(), now.desired());
            snapshots.apply(key.get()).ifPresentOrElse(s -> reports.scaled(s, event),
                    () -> LOG.debug("{} scaled, but its cluster {} is not known yet", now.machineDeployment(), key.get()));
        }
        wake.accept(key.get());
    }

    @Override
    public void onDelete(GenericKubernetesResource md, boolean deletedFinalStateUnknown) {
        key(md).ifPresent(wake);
    }

    private static Optional<String> key(GenericKubernetesResource md) {
        String cluster = clusterName(md);
        return cluster == null ? Optional.empty()
                : Optional.of(NestorEvent.key(md.getMetadata().getNamespace(), cluster));
    }

    private static String clusterName(GenericKubernetesResource md) {
        return md.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.get("clusterName") != null
                ? String.valueOf(spec.get("clusterName")) : null;
    }
}

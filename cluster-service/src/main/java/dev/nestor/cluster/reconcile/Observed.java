package dev.nestor.cluster.reconcile;

import dev.nestor.cluster.render.Kind;
import dev.nestor.cluster.render.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import dev.nestor.cluster.model.TenantCluster;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The upstream objects cluster-service watches (only the kinds it renders, plus MachineSets for
 * the templates they still reference), each mapped back to its TenantCluster by label.
 */
final class Observed {
    static final String CLUSTERS = "clusters";
    static final String CONTROL_PLANES = "controlplanes";
    static final String MACHINE_DEPLOYMENTS = "machinedeployments";
    static final String MACHINE_SETS = "machinesets";

    private Observed() {
    }

    static List<EventSource<?, TenantCluster>> eventSources(EventSourceContext<TenantCluster> context) {
        return List.of(
                informer(context, CLUSTERS, Kind.CLUSTER, Labels.CLUSTER, true),
                informer(context, CONTROL_PLANES, Kind.KAMAJI_CONTROL_PLANE, Labels.CLUSTER, true),
                informer(context, MACHINE_DEPLOYMENTS, Kind.MACHINE_DEPLOYMENT, Labels.CLUSTER, true),
                // MachineSets are CAPI's: they carry the CAPI cluster-name label, which is our cluster name.
                informer(context, MACHINE_SETS, Kind.MACHINE_SET, Labels.CAPI_CLUSTER_NAME, false));
    }

    private static InformerEventSource<GenericKubernetesResource, TenantCluster> informer(
            EventSourceContext<TenantCluster> context, String name, Kind kind, String clusterLabel, boolean ours) {
        var config = InformerEventSourceConfiguration
                .from(new GroupVersionKind(kind.group(), kind.version(), kind.kind()), TenantCluster.class)
                .withName(name)
                .withSecondaryToPrimaryMapper((GenericKubernetesResource r) -> {
                    String cluster = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(clusterLabel);
                    return cluster == null ? Set.of() : Set.of(new ResourceID(cluster, r.getMetadata().getNamespace()));
                });
        if (ours) {
            config.withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGER);
        } else {
            config.withLabelSelector(clusterLabel);
        }
        return new InformerEventSource<>(config.build(), context);
    }

    @SuppressWarnings("unchecked")
    static Set<GenericKubernetesResource> of(Context<TenantCluster> context, String source) {
        var es = (InformerEventSource<GenericKubernetesResource, TenantCluster>) context.eventSourceRetriever()
                .getEventSourceFor(GenericKubernetesResource.class, source);
        return es.getSecondaryResources(context.getPrimaryResource());
    }

    static Optional<GenericKubernetesResource> named(Context<TenantCluster> context, String source, String name) {
        return of(context, source).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    /** True when CAPI has observed the latest generation of every MachineDeployment of the cluster. */
    @SuppressWarnings("unchecked")
    static boolean machineDeploymentsSettled(Context<TenantCluster> context) {
        for (GenericKubernetesResource md : of(context, MACHINE_DEPLOYMENTS)) {
            Map<String, Object> status = (Map<String, Object>) md.getAdditionalProperties().get("status");
            Object observed = status == null ? null : status.get("observedGeneration");
            if (!(observed instanceof Number n) || n.longValue() != md.getMetadata().getGeneration()) {
                return false;
            }
        }
        return true;
    }

    /** Template names the cluster's live MachineSets reference. */
    @SuppressWarnings("unchecked")
    static Set<String> liveTemplates(Context<TenantCluster> context) {
        Set<String> names = new HashSet<>();
        for (GenericKubernetesResource ms : of(context, MACHINE_SETS)) {
            Map<String, Object> spec = (Map<String, Object>) ms.getAdditionalProperties().getOrDefault("spec", Map.of());
            Map<String, Object> template = (Map<String, Object>) spec.getOrDefault("template", Map.of());
            Map<String, Object> tspec = (Map<String, Object>) template.getOrDefault("spec", Map.of());
            if (tspec.get("infrastructureRef") instanceof Map<?, ?> ref && ref.get("name") != null) {
                names.add((String) ref.get("name"));
            }
            if (tspec.get("bootstrap") instanceof Map<?, ?> b && b.get("configRef") instanceof Map<?, ?> ref
                    && ref.get("name") != null) {
                names.add((String) ref.get("name"));
            }
        }
        return names;
    }
}

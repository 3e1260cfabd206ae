package dev.nestor.autoscaler.api;

import dev.nestor.autoscaler.apply.Kinds;
import dev.nestor.autoscaler.reconcile.BridgeRuntime;
import dev.nestor.autoscaler.render.Names;
import dev.nestor.autoscaler.render.NodeGroup;
import dev.nestor.autoscaler.render.NodeGroups;
import dev.nestor.support.auth.Caller;
import dev.nestor.support.feed.TenantClusterPresence;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /api/v1/tenants/{tenant}/clusters/{cluster}/autoscaling}: node group bounds, replicas, scaling events. */
@Path("/api/v1/tenants/{tenant}/clusters/{cluster}/autoscaling")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AutoscalingResource {
    @Inject
    Caller caller;
    @Inject
    KubernetesClient client;
    @Inject
    BridgeRuntime runtime;

    @GET
    public AutoscalingView get(@PathParam("tenant") String tenant, @PathParam("cluster") String cluster) {
        String namespace = "tenant-" + tenant;
        // another tenant's cluster is as absent as one that does not exist (DESIGN §11)
        GenericKubernetesResource tenantCluster = !caller.mayActOn(tenant) ? null
                : client.genericKubernetesResources(TenantClusterPresence.TENANT_CLUSTERS).inNamespace(namespace)
                        .withName(cluster).get();
        if (tenantCluster == null) {
            throw ProblemException.notFound("cluster-not-found",
                    "cluster '" + cluster + "' of tenant '" + tenant + "' does not exist");
        }
        List<NodeGroup> groups = NodeGroups.of(cluster, client.genericKubernetesResources(Kinds.MACHINE_DEPLOYMENT)
                .inNamespace(namespace).list().getItems());
        Deployment autoscaler = client.apps().deployments().inNamespace(namespace)
                .withName(Names.autoscaler(cluster)).get();
        String image = autoscaler == null ? null
                : autoscaler.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        return new AutoscalingView(tenant, cluster, autoscaler != null, image,
                groups.stream().map(g -> new AutoscalingView.Group(g.name(), g.autoscaled(), g.minSize(), g.maxSize(),
                        g.desired(), g.current(), g.ready())).toList(),
                // by uid: the events of an earlier cluster under the same name are not this one's
                runtime.history() == null ? List.of() : runtime.history().of(tenantCluster.getMetadata().getUid()));
    }
}

package dev.nestor.addon.api;

import dev.nestor.addon.apply.Releases;
import dev.nestor.support.auth.Caller;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.status.ClusterView;
import dev.nestor.addon.render.Names;
import dev.nestor.events.payload.AddonState;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code GET /api/v1/tenants/{tenant}/clusters/{cluster}/addons}: each add-on's state, version and message, derived
 * from the cluster's HelmReleases as they are now (so every replica answers, not only the lease holder).
 */
@Path("/api/v1/tenants/{tenant}/clusters/{cluster}/addons")
@Authenticated
public class ClusterAddonsResource {

    @Inject
    Caller caller;
    @Inject
    Releases releases;
    @Inject
    AddonCatalog catalog;

    /** The answer: the cluster and every add-on's state. */
    public record AddonsView(String tenant, String cluster, String uid, long generation, List<AddonState> addons) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public AddonsView get(@PathParam("tenant") String tenant, @PathParam("cluster") String cluster) {
        if (!caller.mayActOn(tenant)) {
            // Word for word what an unknown tenant gets: another tenant's clusters are not even confirmed to exist.
            throw ProblemException.notFound("tenant-not-found", "there is no tenant '" + tenant + "'");
        }
        String namespace = Names.tenantNamespace(tenant);
        GenericKubernetesResource tc = releases.tenantCluster(namespace, cluster).orElseThrow(() ->
                ProblemException.notFound("cluster-not-found", "tenant " + tenant + " has no cluster '" + cluster + "'"));
        ClusterView view = ClusterView.of(catalog, tenant, tc, releases.ofCluster(namespace, cluster));
        return new AddonsView(tenant, cluster, view.facts().uid(), view.generation(), view.states());
    }
}

package dev.nestor.cluster.api;

import dev.nestor.support.auth.Caller;
import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.apply.Tenant;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.config.ClusterServiceConfig;
import dev.nestor.cluster.model.TenantSpec;
import dev.nestor.cluster.render.TenantRenderer;
import dev.nestor.cluster.validate.TenantSpecValidator;
import dev.nestor.cluster.validate.Violation;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/**
 * {@code /api/v1/tenants/{tenant}}: administrators onboard a tenant with {@code PUT} (its labelled namespace, its
 * allow-lists as namespace annotations, a ResourceQuota); {@code GET} shows what is in force, to an administrator or
 * to the tenant itself.
 */
@Path("/api/v1/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class TenantResource {
    @Inject
    ClusterApi api;
    @Inject
    TenantClusters tenants;
    @Inject
    ClusterServiceConfig config;

    Catalog catalog;

    @PostConstruct
    void init() {
        catalog = Catalog.from(config);
    }

    /**
     * Onboards the tenant, or changes an onboarded one: 201 with the tenant when its namespace is new, else 200. The
     * body is {@code {"dataStores":[...],"storageClasses":[...],"gpuModels":[...],"loadBalancerAddresses":[...],
     * "quota":{"clusters":10}}}, every field optional (a list left out falls back to configuration, the address pool
     * to none, the quota to {@code nestor.default-cluster-quota}).
     */
    @PUT
    @RolesAllowed(Caller.ADMIN_GROUP)
    @Consumes(MediaType.WILDCARD)
    public Response onboard(@PathParam("tenant") String tenant, String body, @Context UriInfo uri) {
        TenantSpec spec = RequestParser.parseTenant(body);
        List<Violation> violations = TenantSpecValidator.validate(tenant, spec);
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.of(422, "invalid-tenant", "Unprocessable Content",
                    violations.size() + " rule(s) broken; see errors").withErrors(violations.stream()
                    .map(v -> new Problem.FieldError(v.field(), v.rule(), v.message())).toList()));
        }
        int quota = spec.quota() == null ? config.defaultClusterQuota() : spec.quota().clusters();
        boolean created = api.onboard(TenantRenderer.namespace(tenant, spec), TenantRenderer.quota(tenant, quota));
        TenantView view = view(tenants.tenant(tenant));
        return created ? Response.created(uri.getAbsolutePath()).entity(view).build() : Response.ok(view).build();
    }

    /** The tenant's allow-lists and quota; 404 for another tenant, exactly as for an unknown one. */
    @GET
    public TenantView get(@PathParam("tenant") String tenant) {
        return view(tenants.tenant(tenant));
    }

    private TenantView view(Tenant tenant) {
        return TenantView.of(tenant, catalog.policyFor(tenant.name(), tenant.annotations()),
                api.clusterQuota(tenant.namespace()));
    }
}

package dev.nestor.cluster.api;

import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.config.ClusterServiceConfig;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.render.Names;
import dev.nestor.cluster.validate.SpecDefaults;
import dev.nestor.cluster.validate.SpecValidator;
import dev.nestor.cluster.validate.Violation;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.List;
import java.util.regex.Pattern;

/** The REST API of DESIGN §3 under {@code /api/v1/tenants/{tenant}/clusters}. */
@Path("/api/v1/tenants/{tenant}/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class TenantClusterResource {
    private static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?");
    static final int DEFAULT_PAGE = 100;

    @Inject
    KubernetesClient client;
    @Inject
    ClusterApi api;
    @Inject
    ClusterServiceConfig config;

    SpecValidator validator;

    @PostConstruct
    void init() {
        validator = new SpecValidator(Catalog.from(config));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@PathParam("tenant") String tenant, String body, @Context UriInfo uri) {
        String namespace = tenantNamespace(tenant);
        RequestParser.CreateRequest request = RequestParser.parseCreate(body);
        TenantClusterSpec spec = SpecDefaults.apply(request.spec());
        List<Violation> violations = validator.validate(request.name(), tenant, spec);
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.of(422, "invalid-spec", "Unprocessable Content",
                    violations.size() + " rule(s) broken; see errors").withErrors(violations.stream()
                    .map(v -> new Problem.FieldError(v.field(), v.rule(), v.message())).toList()));
        }
        TenantCluster tc = new TenantCluster();
        tc.setMetadata(new ObjectMetaBuilder().withName(request.name()).withNamespace(namespace).build());
        tc.setSpec(spec);
        TenantCluster created;
        try {
            created = clusters(namespace).resource(tc).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw ProblemException.conflict("cluster-exists",
                        "a cluster named '" + request.name() + "' already exists for tenant " + tenant);
            }
            throw e;
        }
        return Response.accepted(ClusterView.of(created, tenant))
                .location(uri.getAbsolutePathBuilder().path(request.name()).build()).build();
    }

    @GET
    public ClusterList list(@PathParam("tenant") String tenant, @QueryParam("limit") Integer limit,
            @QueryParam("continue") String next) {
        String namespace = tenantNamespace(tenant);
        int pageSize = limit == null ? DEFAULT_PAGE : limit;
        if (pageSize < 1 || pageSize > 500) {
            throw ProblemException.badRequest("bad-limit", "limit is between 1 and 500");
        }
        KubernetesResourceList<TenantCluster> page = clusters(namespace)
                .list(new ListOptionsBuilder().withLimit((long) pageSize).withContinue(next).build());
        String token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        return new ClusterList(page.getItems().stream().map(tc -> ClusterView.of(tc, tenant)).toList(),
                token == null || token.isEmpty() ? null : token);
    }

    @GET
    @Path("{name}")
    public ClusterView get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        return ClusterView.of(find(tenant, name), tenant);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        TenantCluster tc = find(tenant, name);
        if (tc.getMetadata().getDeletionTimestamp() == null) {
            if (tc.getSpec() != null && Boolean.TRUE.equals(tc.getSpec().deletionProtection)) {
                throw ProblemException.conflict("deletion-protected",
                        "cluster '" + name + "' has deletionProtection; turn it off first");
            }
            clusters(tc.getMetadata().getNamespace()).withName(name).delete();
            TenantCluster after = clusters(tc.getMetadata().getNamespace()).withName(name).get();
            if (after != null) {
                tc = after;
            } else {
                tc.getMetadata().setDeletionTimestamp(java.time.Instant.now().toString());
            }
        }
        return Response.accepted(ClusterView.of(tc, tenant)).build();
    }

    private TenantCluster find(String tenant, String name) {
        TenantCluster tc = clusters(tenantNamespace(tenant)).withName(name).get();
        if (tc == null) {
            throw ProblemException.notFound("cluster-not-found", "tenant " + tenant + " has no cluster '" + name + "'");
        }
        return tc;
    }

    /** The tenant's namespace; 404 unless it exists and carries the tenant label. */
    private String tenantNamespace(String tenant) {
        String namespace = Names.tenantNamespace(tenant);
        if (!TENANT.matcher(tenant).matches() || !tenant.equals(api.tenantOf(namespace))) {
            throw ProblemException.notFound("tenant-not-found", "there is no tenant '" + tenant + "'");
        }
        return namespace;
    }

    private MixedOperation<TenantCluster, KubernetesResourceList<TenantCluster>, Resource<TenantCluster>> clusters(String ns) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MixedOperation<TenantCluster, KubernetesResourceList<TenantCluster>, Resource<TenantCluster>> op =
                (MixedOperation) client.resources(TenantCluster.class);
        return (MixedOperation) op.inNamespace(ns);
    }
}

package dev.nestor.cluster.api;

import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.apply.Tenant;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.config.ClusterServiceConfig;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.validate.SpecDefaults;
import dev.nestor.cluster.model.Phase;
import dev.nestor.cluster.validate.SpecValidator;
import dev.nestor.cluster.validate.VersionContext;
import dev.nestor.cluster.validate.Violation;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.security.Authenticated;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.EntityTag;
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

/** The REST API of DESIGN §3 under {@code /api/v1/tenants/{tenant}/clusters}; every call needs a bearer token. */
@Path("/api/v1/tenants/{tenant}/clusters")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TenantClusterResource {
    static final int DEFAULT_PAGE = 100;

    @Inject
    KubernetesClient client;
    @Inject
    TenantClusters clusters;
    @Inject
    ClusterServiceConfig config;

    @Inject
    ClusterApi api;

    Catalog catalog;
    SpecValidator validator;

    @PostConstruct
    void init() {
        catalog = Catalog.from(config);
        validator = new SpecValidator(catalog);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@PathParam("tenant") String tenant,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, String body, @Context UriInfo uri) {
        Tenant owner = clusters.tenant(tenant);
        String namespace = owner.namespace();
        RequestParser.CreateRequest request = RequestParser.parseCreate(body);
        TenantClusterSpec spec = SpecDefaults.apply(request.spec());
        refuse(validator.validate(request.name(), policyOf(owner), spec));
        refuseOverQuota(owner);
        TenantCluster tc = new TenantCluster();
        tc.setMetadata(new ObjectMetaBuilder().withName(request.name()).withNamespace(namespace)
                .withAnnotations(IdempotencyKeys.annotations(idempotencyKey, spec)).build());
        tc.setSpec(spec);
        TenantCluster created;
        try {
            created = clusters(namespace).resource(tc).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                TenantCluster existing = clusters(namespace).withName(request.name()).get();
                if (existing != null && IdempotencyKeys.replays(existing, idempotencyKey, spec)) {
                    // The same request again (a client retry): answer as the first time, change nothing.
                    return Response.accepted(ClusterView.of(existing, tenant)).tag(etag(existing))
                            .location(uri.getAbsolutePathBuilder().path(request.name()).build()).build();
                }
                if (existing != null && existing.getMetadata().getDeletionTimestamp() != null) {
                    throw ProblemException.conflict("deletion-in-progress", "a cluster named '" + request.name()
                            + "' is still being deleted; create it again once it is gone");
                }
                throw ProblemException.conflict("cluster-exists",
                        "a cluster named '" + request.name() + "' already exists for tenant " + tenant);
            }
            throw e;
        }
        return Response.accepted(ClusterView.of(created, tenant)).tag(etag(created))
                .location(uri.getAbsolutePathBuilder().path(request.name()).build()).build();
    }

    @GET
    public ClusterList list(@PathParam("tenant") String tenant, @QueryParam("limit") String limit,
            @QueryParam("continue") String next, @QueryParam("phase") String phase) {
        String namespace = tenantNamespace(tenant);
        if (phase != null && java.util.Arrays.stream(Phase.values()).noneMatch(p -> p.name().equals(phase))) {
            throw ProblemException.badRequest("bad-phase", "phase is one of " + java.util.Arrays.toString(Phase.values()));
        }
        int pageSize;
        try {
            pageSize = limit == null ? DEFAULT_PAGE : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            pageSize = -1;
        }
        if (pageSize < 1 || pageSize > 500) {
            throw ProblemException.badRequest("bad-limit", "limit is a number between 1 and 500");
        }
        KubernetesResourceList<TenantCluster> page;
        try {
            page = clusters(namespace).list(new ListOptionsBuilder().withLimit((long) pageSize).withContinue(next).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 && next != null) {
                throw ProblemException.badRequest("bad-continue", "continue is not a token this API gave out");
            }
            throw e;
        }
        String token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        // The phase filter applies within the page, so a filtered page may hold fewer than limit items.
        return new ClusterList(page.getItems().stream().map(tc -> ClusterView.of(tc, tenant))
                .filter(view -> phase == null || phase.equals(view.status().path("phase").asText()))
                .toList(), token == null || token.isEmpty() ? null : token);
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        TenantCluster tc = find(tenant, name);
        return Response.ok(ClusterView.of(tc, tenant)).tag(etag(tc)).build();
    }

    /** A JSON merge patch (RFC 7386) of the spec; {@code If-Match} guards against lost updates. */
    @PATCH
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    public Response patch(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @HeaderParam("If-Match") String ifMatch, String body) {
        Tenant owner = clusters.tenant(tenant);
        TenantCluster tc = modifiable(owner, name, ifMatch);
        return update(owner, tc, RequestParser.mergePatch(tc.getSpec(), body));
    }

    /** Replaces the spec with a full flat body; {@code If-Match} guards against lost updates. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    public Response replace(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @HeaderParam("If-Match") String ifMatch, String body) {
        Tenant owner = clusters.tenant(tenant);
        TenantCluster tc = modifiable(owner, name, ifMatch);
        return update(owner, tc, RequestParser.parseReplace(body, name));
    }

    private TenantCluster modifiable(Tenant owner, String name, String ifMatch) {
        TenantCluster tc = clusters.find(owner, name);
        if (ifMatch != null && !ifMatch.isBlank() && !"*".equals(ifMatch.trim())
                && !ifMatch.replace("W/", "").replace("\"", "").trim().equals(String.valueOf(tc.getMetadata().getGeneration()))) {
            throw new ProblemException(Problem.of(412, "stale-etag", "Precondition Failed", "the cluster is at generation "
                    + tc.getMetadata().getGeneration() + ", not " + ifMatch + "; read it again and retry"));
        }
        if (tc.getMetadata().getDeletionTimestamp() != null) {
            throw ProblemException.conflict("deletion-in-progress", "cluster '" + name + "' is being deleted");
        }
        return tc;
    }

    private Response update(Tenant owner, TenantCluster tc, TenantClusterSpec requested) {
        TenantClusterSpec spec = SpecDefaults.apply(requested);
        List<Violation> violations = validator.validate(tc.getMetadata().getName(), policyOf(owner), spec,
                versionContext(tc));
        refuse(violations);
        TenantCluster updated = null;
        for (int attempt = 1; updated == null; attempt++) {
            tc.setSpec(spec);
            try {
                updated = clusters(tc.getMetadata().getNamespace()).resource(tc).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // A status write (same generation) moved the resourceVersion: the spec the caller saw is
                // still current, so apply the change on the fresh object. A new generation is a lost update.
                TenantCluster fresh = clusters(tc.getMetadata().getNamespace()).withName(tc.getMetadata().getName()).get();
                if (fresh == null || !fresh.getMetadata().getGeneration().equals(tc.getMetadata().getGeneration())
                        || attempt == 5) {
                    throw new ProblemException(Problem.of(412, "stale-etag", "Precondition Failed",
                            "the cluster changed while this request was handled; read it again and retry"));
                }
                tc = fresh;
            }
        }
        return Response.ok(ClusterView.of(updated, owner.name())).tag(etag(updated)).build();
    }

    /** The allow-lists onboarding stored on the tenant's namespace, else configuration: what the reconciler uses. */
    private Catalog.Policy policyOf(Tenant owner) {
        return catalog.policyFor(owner.name(), owner.annotations());
    }

    /**
     * 409 when the tenant already owns as many clusters as its ResourceQuota allows. A real API server enforces the
     * quota on create too; asking first gives the caller a problem document instead of the API server's 403.
     */
    private void refuseOverQuota(Tenant owner) {
        Integer quota = api.clusterQuota(owner.namespace());
        if (quota != null && clusters(owner.namespace()).list().getItems().size() >= quota) {
            throw ProblemException.conflict("quota-exceeded", "tenant " + owner.name() + " may own at most " + quota
                    + " cluster(s); delete one first or ask an administrator for a larger quota");
        }
    }

    /** The version rules of DESIGN §4, from what the reconciler recorded. */
    static VersionContext versionContext(TenantCluster tc) {
        var status = tc.getStatus();
        if (status == null || status.acceptedSpec == null) {
            return VersionContext.NEW;
        }
        boolean done = status.resolved != null && status.resolved.version.equals(status.version)
                && status.workers != null && status.resolved.version.equals(status.workers.version)
                && !Phase.Upgrading.name().equals(status.phase);
        return new VersionContext(status.acceptedSpec.version, status.version, done);
    }

    /** 409 for a change refused because another one still rolls out, 422 for anything else. */
    private static void refuse(List<Violation> violations) {
        if (violations.isEmpty()) {
            return;
        }
        boolean inProgress = violations.stream().allMatch(v -> VersionContext.UPGRADE_IN_PROGRESS.equals(v.rule()));
        Problem p = inProgress
                ? Problem.of(409, "upgrade-in-progress", "Conflict", violations.get(0).message())
                : Problem.of(422, "invalid-spec", "Unprocessable Content", violations.size() + " rule(s) broken; see errors");
        throw new ProblemException(p.withErrors(violations.stream()
                .map(v -> new Problem.FieldError(v.field(), v.rule(), v.message())).toList()));
    }

    static EntityTag etag(TenantCluster tc) {
        return new EntityTag(String.valueOf(tc.getMetadata().getGeneration()));
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
        return clusters.find(tenant, name);
    }

    private String tenantNamespace(String tenant) {
        return clusters.namespaceOf(tenant);
    }

    private MixedOperation<TenantCluster, KubernetesResourceList<TenantCluster>, Resource<TenantCluster>> clusters(String ns) {
        return clusters.in(ns);
    }
}

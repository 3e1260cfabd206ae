package dev.nestor.support.auth;

import dev.nestor.support.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Authentication and authorization failures as problem+json, like every other error. Authentication is not proactive
 * ({@code quarkus.http.auth.proactive=false}), so these failures reach JAX-RS instead of the HTTP layer's bare 401.
 */
public class AuthProblems {
    private static final Logger LOG = LoggerFactory.getLogger(AuthProblems.class);

    /** No bearer token where one is required (RFC 6750 §3: the challenge without an error code). */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri, "Bearer realm=\"nestor\"", "this endpoint needs a bearer token (Authorization: Bearer <JWT>)");
    }

    /** A token that does not verify: bad signature, expired, wrong issuer or audience, malformed. */
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e, UriInfo uri) {
        // The reason stays in the log: telling a caller which check failed helps an attacker more than a user.
        LOG.debug("bearer token refused for {}", uri.getRequestUri().getRawPath(), e);
        return unauthenticated(uri, "Bearer realm=\"nestor\", error=\"invalid_token\"",
                "the bearer token is invalid or expired; get a new one");
    }

    /** Authenticated, but not in the group the endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        Problem problem = Problem.of(403, "forbidden", "Forbidden", "this needs the " + Caller.ADMIN_GROUP + " group")
                .withInstance(uri.getRequestUri().getRawPath());
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Response unauthenticated(UriInfo uri, String challenge, String detail) {
        Problem problem = Problem.of(401, "unauthenticated", "Unauthorized", detail)
                .withInstance(uri.getRequestUri().getRawPath());
        return Response.status(401).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}

package dev.nestor.cluster.api;

import dev.nestor.support.problem.Problem;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * What the management API server answered, as problem+json: an expired list token is the
 * client's to fix (410), anything else is the platform's (503, retry later) — never a bare 500.
 */
@Provider
public class KubernetesErrorMapper implements ExceptionMapper<KubernetesClientException> {
    private static final Logger LOG = Logger.getLogger(KubernetesErrorMapper.class);

    @Override
    public Response toResponse(KubernetesClientException e) {
        Problem problem;
        if (e.getCode() == 410) {
            problem = Problem.of(410, "continue-expired", "Gone", "the continue token expired; list again from the start");
        } else {
            LOG.warnf("management API server error %d: %s", e.getCode(), e.getMessage());
            problem = Problem.of(503, "kubernetes-unavailable", "Service Unavailable",
                    "the management cluster did not answer as expected; retry later");
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).header("Retry-After", "5").build();
    }
}

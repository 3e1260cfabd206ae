package dev.nestor.support.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * What the framework answers by itself (no such path, wrong method, unsupported media type) as
 * problem+json too, so a client never has to parse two error formats.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        Problem problem = Problem.of(status, "http-" + status, title,
                status == 404 ? "no such resource" : e.getMessage() == null ? title : e.getMessage());
        if (uriInfo != null) {
            problem = problem.withInstance(uriInfo.getRequestUri().getRawPath());
        }
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        if (original != null && original.getHeaderString("Allow") != null) {
            response.header("Allow", original.getHeaderString("Allow"));
        }
        return response.build();
    }
}

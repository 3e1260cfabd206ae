package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A request failure that is answered with a Kubernetes {@code Status} body, as a real API server does. */
final class ApiException extends RuntimeException {
  /** One {@code details.causes[]} entry. */
  record Cause(String reason, String message, String field) {
  }

  final int code;
  final String reason;
  final List<Cause> causes;
  String detailName;
  String detailGroup;
  String detailKind;

  ApiException(int code, String reason, String message, List<Cause> causes) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.causes = causes == null ? List.of() : causes;
  }

  ApiException details(String name, String group, String kind) {
    this.detailName = name;
    this.detailGroup = group;
    this.detailKind = kind;
    return this;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null);
  }

  static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", type.groupResource() + " \"" + name + "\" not found", null)
        .details(name, type.group(), type.plural());
  }

  static ApiException notFoundPath() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null);
  }

  static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", type.groupResource() + " \"" + name + "\" already exists", null)
        .details(name, type.group(), type.plural());
  }

  static ApiException conflict(ResourceType type, String name) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again", null)
        .details(name, type.group(), type.plural());
  }

  static ApiException gone(String message) {
    return new ApiException(410, "Expired", message, null);
  }

  static ApiException methodNotAllowed() {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);
  }

  static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got " + contentType + ")", null);
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, "Forbidden", message, null);
  }

  /** 422 Invalid, message in the real server's format {@code Kind.group "name" is invalid: [..]}. */
  static ApiException invalid(ResourceType type, String name, List<Cause> causes) {
    List<String> parts = new ArrayList<>();
    for (Cause c : causes) {
      parts.add(c.field() == null || c.field().isEmpty() ? c.message() : c.field() + ": " + c.message());
    }
    String summary = parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
    String gk = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    return new ApiException(422, "Invalid", gk + " \"" + name + "\" is invalid: " + summary, causes)
        .details(name, type.group(), type.kind());
  }

  ObjectNode toStatus() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", getMessage());
    s.put("reason", reason);
    if (detailName != null || !causes.isEmpty()) {
      ObjectNode d = s.putObject("details");
      if (detailName != null) {
        d.put("name", detailName);
        d.put("group", detailGroup);
        d.put("kind", detailKind);
      }
      if (!causes.isEmpty()) {
        var arr = d.putArray("causes");
        for (Cause c : causes) {
          ObjectNode o = arr.addObject();
          o.put("reason", c.reason());
          o.put("message", c.message());
          if (c.field() != null) {
            o.put("field", c.field());
          }
        }
      }
    }
    s.put("code", code);
    return s;
  }
}

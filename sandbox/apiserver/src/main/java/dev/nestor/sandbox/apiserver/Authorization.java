package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The self-review APIs clients use to check their rights before acting (the Java Operator SDK
 * does before it joins a leader election). The sandbox has no RBAC: every review allows everything.
 */
final class Authorization {
  private Authorization() {
  }

  /** Answers a SelfSubjectRulesReview or SelfSubjectAccessReview posted to {@code path}. */
  static ObjectNode review(String path, byte[] body) {
    ObjectNode review = body.length == 0 ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.parse(body);
    ObjectNode status = review.putObject("status");
    if (path.endsWith("/selfsubjectrulesreviews")) {
      review.put("kind", "SelfSubjectRulesReview");
      ArrayNode rules = status.putArray("resourceRules");
      ObjectNode all = rules.addObject();
      all.putArray("verbs").add("*");
      all.putArray("apiGroups").add("*");
      all.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    } else if (path.endsWith("/selfsubjectaccessreviews") || path.endsWith("/subjectaccessreviews")) {
      status.put("allowed", true);
      status.put("reason", "the sandbox has no RBAC");
    } else {
      throw ApiException.notFoundPath();
    }
    review.put("apiVersion", "authorization.k8s.io/v1");
    return review;
  }
}

package dev.nestor.cluster.validate;

/** One broken rule: the offending field path (as in the REST body), a stable rule id and a message. */
public record Violation(String field, String rule, String message) {
}

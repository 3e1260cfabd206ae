package dev.nestor.cluster.api;

import java.util.List;

/** A page of clusters; {@code continue} is the token of the next page, absent on the last one. */
public record ClusterList(List<ClusterView> items, @com.fasterxml.jackson.annotation.JsonProperty("continue") String next) {
}

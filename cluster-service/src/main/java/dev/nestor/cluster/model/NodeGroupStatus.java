package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed replica counts of one node group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeGroupStatus {
    public String name;
    public Integer desired;
    public Integer ready;
    public Integer upToDate;

    public NodeGroupStatus() {
    }

    public NodeGroupStatus(String name, Integer desired, Integer ready, Integer upToDate) {
        this.name = name;
        this.desired = desired;
        this.ready = ready;
        this.upToDate = upToDate;
    }
}

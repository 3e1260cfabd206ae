package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-cluster scale-down settings handed to the cluster-autoscaler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AutoscalingSpec {
    public String scaleDownUnneededTime;
    public String scaleDownDelayAfterAdd;
    public String scaleDownUtilizationThreshold;
    public String expander;
}

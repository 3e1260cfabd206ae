package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The hosted control plane: Kamaji pods in the management cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ControlPlaneSpec {
    public Integer replicas;
    public String dataStore;
    public String serviceType;
}

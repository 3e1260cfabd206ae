package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** A set of identical worker VMs: one MachineDeployment. {@code minReplicas == maxReplicas} is a fixed size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NodeGroup {
    public String name;
    public String instanceType;
    public Resources resources;
    public String diskSize;
    public String storageClass;
    public Integer minReplicas;
    public Integer maxReplicas;
    public Map<String, String> labels;
    public List<Taint> taints;
    public List<String> roles;
    public List<Gpu> gpus;

    /** True when the cluster-autoscaler owns this group's replica count. */
    public boolean autoscaled() {
        return minReplicas != null && maxReplicas != null && !minReplicas.equals(maxReplicas);
    }
}

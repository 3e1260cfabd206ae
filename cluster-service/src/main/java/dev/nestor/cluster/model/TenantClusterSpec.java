package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tenant asks for; defaults are applied by {@code SpecDefaults}, not by the CRD. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TenantClusterSpec {
    @Required
    @JsonPropertyDescription("Kubernetes version, v1.MINOR or v1.MINOR.PATCH, from the version catalog")
    public String version;
    public ControlPlaneSpec controlPlane;
    public NetworkSpec network;
    @Required
    public List<NodeGroup> nodeGroups = new ArrayList<>();
    @JsonPropertyDescription("Add-ons keyed by catalog name")
    public Map<String, AddonSpec> addons = new LinkedHashMap<>();
    public AutoscalingSpec autoscaling;
    public Boolean deletionProtection;
}

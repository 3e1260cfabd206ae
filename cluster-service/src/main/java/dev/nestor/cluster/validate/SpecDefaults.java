package dev.nestor.cluster.validate;

import dev.nestor.cluster.model.ControlPlaneSpec;
import dev.nestor.cluster.model.NetworkSpec;
import dev.nestor.cluster.model.NodeGroup;
import dev.nestor.cluster.model.TenantClusterSpec;

import java.util.LinkedHashMap;

/** The defaults of DESIGN §3, applied in one place for REST and for kubectl-created clusters. */
public final class SpecDefaults {
    public static final int CONTROL_PLANE_REPLICAS = 2;
    public static final String DATA_STORE = "default";
    public static final String SERVICE_TYPE = "ClusterIP";
    public static final String POD_CIDR = "10.243.0.0/16";
    public static final String SERVICE_CIDR = "10.95.0.0/16";
    public static final String SERVICE_DOMAIN = "cluster.local";
    public static final String DISK_SIZE = "20Gi";

    private SpecDefaults() {
    }

    /** Fills every unset defaulted field in place and returns the same spec. */
    public static TenantClusterSpec apply(TenantClusterSpec spec) {
        if (spec.controlPlane == null) {
            spec.controlPlane = new ControlPlaneSpec();
        }
        if (spec.controlPlane.replicas == null) {
            spec.controlPlane.replicas = CONTROL_PLANE_REPLICAS;
        }
        if (spec.controlPlane.dataStore == null) {
            spec.controlPlane.dataStore = DATA_STORE;
        }
        if (spec.controlPlane.serviceType == null) {
            spec.controlPlane.serviceType = SERVICE_TYPE;
        }
        if (spec.network == null) {
            spec.network = new NetworkSpec();
        }
        if (spec.network.podCidr == null) {
            spec.network.podCidr = POD_CIDR;
        }
        if (spec.network.serviceCidr == null) {
            spec.network.serviceCidr = SERVICE_CIDR;
        }
        if (spec.network.serviceDomain == null) {
            spec.network.serviceDomain = SERVICE_DOMAIN;
        }
        if (spec.nodeGroups != null) {
            for (NodeGroup group : spec.nodeGroups) {
                if (group != null && group.diskSize == null) {
                    group.diskSize = DISK_SIZE;
                }
            }
        }
        if (spec.addons == null) {
            spec.addons = new LinkedHashMap<>();
        }
        if (spec.deletionProtection == null) {
            spec.deletionProtection = false;
        }
        return spec;
    }
}

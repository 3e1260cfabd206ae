package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** Written only by cluster-service (DESIGN §3), through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TenantClusterStatus {
    public String phase;
    /** Why the cluster is in its phase (e.g. ProvisioningTimeout for Failed). */
    public String reason;
    public String message;
    public List<Condition> conditions = new ArrayList<>();
    public Long observedGeneration;
    /** Patch version and worker image resolved when the spec's version was accepted. */
    public ResolvedVersion resolved;
    /** The version the control plane runs. */
    public String version;
    public String endpoint;
    public String kubeconfigSecretName;
    public List<NodeGroupStatus> nodeGroups = new ArrayList<>();
    public Integer readyNodes;
    public Integer desiredNodes;
    /** {@code readyNodes/desiredNodes}, for the NODES printer column. */
    public String nodes;
    public List<AddonStatus> addons = new ArrayList<>();
    /** The last lifecycle milestone recorded: Requested, Provisioning, ControlPlaneReady or Ready. */
    public String milestone;
    /** Sequence of the last lifecycle event recorded for this cluster uid. */
    public Long lastSequence;
    /** The outbox: recorded events not yet acknowledged by Kafka, oldest first (DESIGN §5.3). */
    public List<PendingEvent> pendingEvents = new ArrayList<>();
    /** The generation of the last accepted spec. */
    public Long acceptedGeneration;
    /** The last accepted spec (defaults applied): what is rendered while a newer one is refused. */
    public TenantClusterSpec acceptedSpec;
    /** The version and image the workers run: they follow the control plane's observed version. */
    public ResolvedVersion workers;
}

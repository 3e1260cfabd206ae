package dev.nestor.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.model.Phase;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.cluster.validate.SpecDefaults;

/**
 * A cluster as REST returns it (DESIGN §3). A new cluster's status is synthesized as
 * {@code Pending}: a real API server drops status on create. The outbox is internal and not shown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String tenant, String uid, Long generation, String createdAt,
        TenantClusterSpec spec, ObjectNode status) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ClusterView of(TenantCluster tc, String tenant) {
        ObjectNode status = tc.getStatus() == null ? JSON.createObjectNode() : JSON.valueToTree(tc.getStatus());
        status.remove("pendingEvents");
        if (tc.getMetadata().getDeletionTimestamp() != null && !status.path("phase").asText().startsWith("Delet")) {
            status.put("phase", Phase.Deleting.name());
        } else if (!status.hasNonNull("phase")) {
            status.put("phase", Phase.Pending.name());
        }
        TenantClusterSpec spec = SpecDefaults.apply(
                JSON.convertValue(tc.getSpec() == null ? new TenantClusterSpec() : tc.getSpec(), TenantClusterSpec.class));
        return new ClusterView(tc.getMetadata().getName(), tenant, tc.getMetadata().getUid(),
                tc.getMetadata().getGeneration(), tc.getMetadata().getCreationTimestamp(), spec, status);
    }
}

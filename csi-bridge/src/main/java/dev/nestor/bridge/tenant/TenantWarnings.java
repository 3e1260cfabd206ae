package dev.nestor.bridge.tenant;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Warning Events csi-bridge writes into a tenant cluster about the tenant's own objects (a forged Node or PV): the
 * tenant's answer is a warning it can read, never an action on somebody else's resources.
 */
public final class TenantWarnings {

    private static final Logger LOG = Logger.getLogger(TenantWarnings.class);
    static final String COMPONENT = "nestor-csi-bridge";

    private TenantWarnings() {
    }

    /** Writes one warning about {@code object} (once per object uid and connection). */
    public static void warn(TenantConnection tenant, HasMetadata object, String reason, String message,
            Instant now) {
        if (!tenant.once(object.getMetadata().getUid() + "/" + reason)) {
            return;
        }
        String namespace = object.getMetadata().getNamespace() == null ? "default"
                : object.getMetadata().getNamespace();
        String time = now.toString();
        try {
            tenant.client().v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                            .withName(object.getMetadata().getName())
                            .withNamespace(object.getMetadata().getNamespace())
                            .withUid(object.getMetadata().getUid()).build())
                    .withType("Warning")
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .withFirstTimestamp(time)
                    .withLastTimestamp(time)
                    .withCount(1)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warnf("Could not write a warning about %s %s into the tenant: %s", object.getKind(),
                    object.getMetadata().getName(), e.toString());
        }
    }
}

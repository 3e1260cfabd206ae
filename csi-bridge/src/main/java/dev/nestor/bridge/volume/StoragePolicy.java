package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which infrastructure storage classes a tenant may use: the list onboarding stored on its namespace
 * ({@code nestor.dev/storage-classes}), else the operator's default; the infrastructure default class (no
 * {@code infraStorageClassName}) is always allowed.
 */
public final class StoragePolicy {

    private StoragePolicy() {
    }

    public static boolean allows(Namespace namespace, List<String> defaultAllowed, String infraStorageClass) {
        if (infraStorageClass == null || infraStorageClass.isEmpty()) {
            return true;
        }
        Map<String, String> annotations = namespace == null ? null : namespace.getMetadata().getAnnotations();
        String annotated = annotations == null ? null : annotations.get(BridgeLabels.STORAGE_CLASSES);
        List<String> allowed = annotated == null ? defaultAllowed
                : Arrays.stream(annotated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return allowed.contains(infraStorageClass);
    }
}

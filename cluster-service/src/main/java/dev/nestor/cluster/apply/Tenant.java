package dev.nestor.cluster.apply;

import java.util.Map;

/**
 * A tenant as its namespace records it.
 *
 * @param name the tenant
 * @param namespace its namespace, {@code tenant-<name>}
 * @param annotations the namespace's annotations, where onboarding stores the allow-lists
 */
public record Tenant(String name, String namespace, Map<String, String> annotations) {
}

package dev.nestor.cluster.config;

import dev.nestor.events.ObjectKeys;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration the pure code (validator, renderers) needs, as plain values, so that code
 * can be tested without Quarkus.
 */
public record Catalog(Map<String, Version> versions, Map<String, Size> instanceTypes, Set<String> addons,
        Map<String, Policy> tenants, Policy defaultPolicy) {

    /** A pinned patch and its worker image. */
    public record Version(String patch, String image) {
    }

    /** A VM size. */
    public record Size(String cpu, String memory) {
    }

    /** A tenant's allow-lists; an empty list of storage classes allows only the default class. */
    public record Policy(List<String> dataStores, List<String> storageClasses, List<String> gpuModels) {
        /** The tenant namespace's annotations holding onboarded allow-lists, comma-separated. */
        public static final String DATA_STORES = "nestor.dev/data-stores";
        public static final String STORAGE_CLASSES = ObjectKeys.STORAGE_CLASSES;
        public static final String GPU_MODELS = "nestor.dev/gpu-models";

        /** Each list given (not null) as its annotation; an empty list is an empty value, not a missing one. */
        public static Map<String, String> annotations(List<String> dataStores, List<String> storageClasses,
                List<String> gpuModels) {
            Map<String, String> annotations = new TreeMap<>();
            put(annotations, DATA_STORES, dataStores);
            put(annotations, STORAGE_CLASSES, storageClasses);
            put(annotations, GPU_MODELS, gpuModels);
            return annotations;
        }

        /** This policy with every list a tenant namespace annotates replaced by the annotated one. */
        public Policy overriddenBy(Map<String, String> annotations) {
            if (annotations == null) {
                return this;
            }
            return new Policy(list(annotations.get(DATA_STORES), dataStores),
                    list(annotations.get(STORAGE_CLASSES), storageClasses), list(annotations.get(GPU_MODELS), gpuModels));
        }

        private static void put(Map<String, String> annotations, String key, List<String> values) {
            if (values != null) {
                annotations.put(key, String.join(",", values));
            }
        }

        private static List<String> list(String annotation, List<String> otherwise) {
            if (annotation == null) {
                return otherwise;
            }
            return Arrays.stream(annotation.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
    }

    /** The tenant's policy from configuration alone. */
    public Policy policyFor(String tenant) {
        return tenants.getOrDefault(tenant, defaultPolicy);
    }

    /**
     * The tenant's policy: the allow-lists onboarding stored on its namespace, where there are any, else
     * configuration (DESIGN §11).
     */
    public Policy policyFor(String tenant, Map<String, String> namespaceAnnotations) {
        return policyFor(tenant).overriddenBy(namespaceAnnotations);
    }

    /** The catalog entry of a spec version ({@code v1.33} or {@code v1.33.5}). */
    public Optional<Version> versionOf(String specVersion) {
        return Optional.ofNullable(versions.get(minorOf(specVersion)));
    }

    /** {@code v1.33.5} → {@code v1.33}; anything else unchanged. */
    public static String minorOf(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    public static Catalog from(ClusterServiceConfig config) {
        Map<String, Version> versions = new TreeMap<>();
        config.versions().forEach((k, v) -> versions.put(k, new Version(v.patch(), v.image())));
        Map<String, Size> sizes = new TreeMap<>();
        config.instanceTypes().forEach((k, v) -> sizes.put(k, new Size(v.cpu(), v.memory())));
        Map<String, Policy> tenants = new TreeMap<>();
        config.tenants().forEach((k, v) -> tenants.put(k, policy(v)));
        return new Catalog(versions, sizes, Set.copyOf(config.addonCatalog()), tenants,
                policy(config.defaultTenantPolicy()));
    }

    private static Policy policy(ClusterServiceConfig.TenantPolicy p) {
        return new Policy(List.copyOf(p.dataStores()), p.storageClasses().orElse(List.of()),
                p.gpuModels().orElse(List.of()));
    }
}

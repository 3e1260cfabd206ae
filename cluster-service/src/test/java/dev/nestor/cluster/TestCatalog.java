package dev.nestor.cluster;

import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.TenantClusterSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalog and example request the pure tests share (the same values as application.properties). */
public final class TestCatalog {
    /** The example body of issue 2, verbatim. */
    public static final String EXAMPLE = "{\"name\":\"demo\",\"version\":\"v1.33\",\"controlPlane\":{\"replicas\":2},"
            + "\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":\"u1.medium\",\"minReplicas\":1,\"maxReplicas\":3},"
            + "{\"name\":\"big\",\"resources\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},\"diskSize\":\"50Gi\",\"minReplicas\":2,\"maxReplicas\":2}]}";

    public static final Catalog CATALOG = new Catalog(
            Map.of("v1.32", new Catalog.Version("v1.32.9", "quay.io/capk/ubuntu-2404-container-disk:v1.32.9"),
                    "v1.33", new Catalog.Version("v1.33.5", "quay.io/capk/ubuntu-2404-container-disk:v1.33.5")),
            Map.of("u1.small", new Catalog.Size("1", "2Gi"), "u1.medium", new Catalog.Size("1", "4Gi"),
                    "u1.large", new Catalog.Size("2", "8Gi")),
            Set.of("cilium", "calico", "coredns", "cert-manager", "ingress-nginx"),
            Map.of(),
            new Catalog.Policy(List.of("default"), List.of("replicated", "local"), List.of("nvidia.com/TU104GL_Tesla_T4")));

    private TestCatalog() {
    }

    /** The example's spec (without its name). */
    public static TenantClusterSpec exampleSpec() {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Serialization.jsonMapper().valueToTree(
                Serialization.unmarshal(EXAMPLE, Map.class));
        tree.remove("name");
        return Serialization.jsonMapper().convertValue(tree, TenantClusterSpec.class);
    }
}

package dev.nestor.cluster.config;

import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.TenantSpec;
import dev.nestor.cluster.render.TenantRenderer;
import dev.nestor.cluster.validate.TenantSpecValidator;
import dev.nestor.cluster.validate.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Onboarded allow-lists: stored as namespace annotations, read back list by list over configuration. */
class TenantPolicyTest {

    @Test
    void annotatedListsReplaceConfiguredOnesListByList() {
        Catalog.Policy configured = TestCatalog.CATALOG.policyFor("acme");
        Map<String, String> annotations = Catalog.Policy.annotations(List.of("default", "fast"), List.of(), null);
        assertThat(annotations).containsEntry("nestor.dev/data-stores", "default,fast")
                .containsEntry("nestor.dev/storage-classes", "").doesNotContainKey("nestor.dev/gpu-models");

        Catalog.Policy policy = TestCatalog.CATALOG.policyFor("acme", annotations);
        assertThat(policy.dataStores()).containsExactly("default", "fast");
        assertThat(policy.storageClasses()).as("an empty list stays empty: only the default class").isEmpty();
        assertThat(policy.gpuModels()).as("not onboarded: configuration").isEqualTo(configured.gpuModels());
        assertThat(TestCatalog.CATALOG.policyFor("acme", Map.of())).isEqualTo(configured);
    }

    @Test
    void theNamespaceCarriesTheTenantLabelAndOnlyTheListsGiven() {
        var ns = TenantRenderer.namespace("hooli", new TenantSpec(List.of("default"), null, List.of("nvidia.com/T4"), null, null));
        assertThat(ns.getMetadata().getName()).isEqualTo("tenant-hooli");
        assertThat(ns.getMetadata().getNamespace()).isNull();
        assertThat(ns.getMetadata().getLabels()).containsEntry("nestor.dev/tenant", "hooli");
        assertThat(ns.getMetadata().getAnnotations()).containsOnlyKeys("nestor.dev/data-stores", "nestor.dev/gpu-models");
        var quota = TenantRenderer.quota("hooli", 3);
        assertThat(quota.getMetadata().getNamespace()).isEqualTo("tenant-hooli");
        assertThat(quota.getAdditionalProperties().get("spec")).isEqualTo(Map.of("hard",
                Map.of("count/tenantclusters.nestor.dev", "3")));
    }

    @Test
    void onboardingRequestsAreValidated() {
        assertThat(TenantSpecValidator.validate("hooli", new TenantSpec(List.of("default"), List.of("replicated"),
                List.of("nvidia.com/TU104GL_Tesla_T4"), List.of("203.0.113.7", "2001:db8::10"),
                new TenantSpec.Quota(0)))).isEmpty();
        assertThat(TenantSpecValidator.validate("hooli", new TenantSpec(null, null, null, null, null))).isEmpty();
        List<Violation> violations = TenantSpecValidator.validate("-bad", new TenantSpec(List.of(),
                List.of("ok", "ok"), List.of("a,b"),
                List.of("203.0.113.7", "203.0.113.7", "203.0.113.256", "lb.example.com", "2001:db8::g", "10.0.0.0/24"),
                new TenantSpec.Quota(1001)));
        assertThat(violations).extracting(Violation::field)
                .containsExactlyInAnyOrder("tenant", "dataStores", "storageClasses[1]", "gpuModels[0]",
                        "loadBalancerAddresses[1]", "loadBalancerAddresses[2]", "loadBalancerAddresses[3]",
                        "loadBalancerAddresses[4]", "loadBalancerAddresses[5]", "quota.clusters");
    }
}

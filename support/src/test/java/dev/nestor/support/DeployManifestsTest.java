package dev.nestor.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.TopicSpec;
import dev.nestor.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a platform operator relies on in {@code deploy/} (DESIGN §10, §11): every manifest parses with no unknown
 * field, lives where it should, runs hardened with probes and limits, and is granted no more than its job needs.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("..", "deploy");
    static final String NAMESPACE = "nestor-system";
    static final List<String> SERVICES = List.of("cluster-service", "addon-service", "autoscaler-bridge", "csi-bridge");
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition");
    static final Set<String> KAFKA_KINDS = Set.of("KafkaTopic", "KafkaUser");
    static final Set<String> ALL_VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** The part of {@code deploy/kustomization.yaml} that matters here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Kustomization(List<String> resources) {
    }

    static List<Path> manifests;
    static List<HasMetadata> objects;

    @BeforeAll
    static void parseEverything() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        objects = new ArrayList<>();
        for (Path file : manifests) {
            try (InputStream in = Files.newInputStream(file)) {
                Object parsed = serialization.unmarshal(in);
                if (parsed instanceof Collection<?> many) {
                    many.forEach(o -> objects.add((HasMetadata) o));
                } else {
                    objects.add((HasMetadata) parsed);
                }
            }
        }
    }

    @Test
    void everyManifestParsesWithNoUnknownFieldAndKustomizeAppliesThemAll() throws IOException {
        assertThat(objects).hasSizeGreaterThan(40);
        List<String> unknown = new ArrayList<>();
        for (HasMetadata o : objects) {
            assertThat(o.getMetadata().getName()).as("name of a %s", o.getKind()).isNotBlank();
            unknown.addAll(unknownFields(o, o.getKind() + "/" + o.getMetadata().getName()));
        }
        assertThat(unknown).as("fields the API server does not know and would drop").isEmpty();
        assertThat(objects).filteredOn(o -> o instanceof GenericKubernetesResource).extracting(HasMetadata::getKind)
                .as("kinds parsed without a model: only Strimzi's").allMatch(KAFKA_KINDS::contains);

        Kustomization kustomization = new YAMLMapper().readValue(DEPLOY.resolve("kustomization.yaml").toFile(),
                Kustomization.class);
        assertThat(kustomization.resources()).containsExactlyInAnyOrderElementsOf(
                manifests.stream().map(f -> DEPLOY.relativize(f).toString().replace('\\', '/')).toList());
    }

    @Test
    void namespacedObjectsLiveInNestorSystemAndKafkaObjectsInKafka() {
        assertThat(objects).allSatisfy(o -> {
            String where = o.getMetadata().getNamespace();
            if (CLUSTER_SCOPED.contains(o.getKind())) {
                assertThat(where).as("%s %s is cluster-scoped", o.getKind(), o.getMetadata().getName()).isNull();
            } else if (KAFKA_KINDS.contains(o.getKind())) {
                assertThat(where).isEqualTo("kafka");
                assertThat(o.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "nestor");
            } else {
                assertThat(where).as("namespace of %s %s", o.getKind(), o.getMetadata().getName()).isEqualTo(NAMESPACE);
            }
        });
    }

    @Test
    void everyServiceRunsTwoHardenedReplicasWithProbesLimitsAndItsOwnKafkaIdentity() {
        assertThat(all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        for (Deployment deployment : all(Deployment.class)) {
            String service = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getServiceAccountName()).isEqualTo("nestor-" + service);
            assertThat(named(ServiceAccount.class, "nestor-" + service)).isNotNull();

            Container container = pod.getContainers().get(0);
            assertThat(pod.getContainers()).hasSize(1);
            assertThat(container.getImage()).isEqualTo("ghcr.io/nestor-dev/" + service + ":0.1.0");
            assertThat(container.getReadinessProbe()).as("readiness probe of %s", service).isNotNull();
            assertThat(container.getLivenessProbe()).as("liveness probe of %s", service).isNotNull();
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(container.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo(container.getLivenessProbe().getHttpGet().getPort().getStrVal());
                assertThat(p.getContainerPort()).isEqualTo(8080);
            });
            assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

            assertThat(container.getEnv()).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
                assertThat(e.getValue()).isEqualTo("nestor-kafka-bootstrap.kafka:9093");
            });
            // The TLS client certificate is the KafkaUser named like the service's consumer group.
            assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getSecretName())
                    .isEqualTo("nestor-" + service).isIn(ConsumerGroups.all())
                    .isIn(kafka("KafkaUser").stream().map(u -> u.getMetadata().getName()).toList()));

            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(named(PodDisruptionBudget.class, service).getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(podLabels).containsAllEntriesOf(named(Service.class, service).getSpec().getSelector());
        }
        assertThat(named(Service.class, "cluster-service").getSpec().getPorts()).extracting(p -> p.getName())
                .contains("http", "metrics");
    }

    @Test
    void rolesGrantNoWildcardAndSecretsOnlyByName() {
        for (HasMetadata role : roles()) {
            String name = role.getMetadata().getName();
            Set<String> secretVerbs = name.equals("nestor-autoscaler-bridge")
                    // its autoscaler's kubeconfig Secret: created, applied and removed by that service alone
                    ? Set.of("get", "create", "update", "patch", "delete")
                    : Set.of("get");
            for (PolicyRule rule : rules(role)) {
                assertThat(rule.getVerbs()).as("verbs of %s", name).isNotEmpty().doesNotContain("*")
                        .isSubsetOf(ALL_VERBS);
                assertThat(rule.getResources()).as("resources of %s", name).isNotEmpty().doesNotContain("*");
                assertThat(rule.getApiGroups()).as("API groups of %s", name).doesNotContain("*");
                assertThat(rule.getNonResourceURLs()).as("URLs of %s", name).isEmpty();
                if (rule.getApiGroups().contains("") && rule.getResources().contains("secrets")) {
                    assertThat(rule.getVerbs()).as("%s on secrets", name).isSubsetOf(secretVerbs)
                            .doesNotContain("list", "watch");
                }
            }
        }
    }

    @Test
    void eachServiceIsBoundToItsOwnRoleAndTenantsOnlyEverTouchTenantClusters() {
        for (String service : SERVICES) {
            ClusterRoleBinding binding = named(ClusterRoleBinding.class, "nestor-" + service);
            assertThat(binding.getRoleRef().getName()).isEqualTo("nestor-" + service);
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo("nestor-" + service);
                assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
            // csi-bridge shards clusters by Kafka partitions instead of electing a leader (DESIGN §10): no Lease.
            boolean leases = !service.equals("csi-bridge");
            assertThat(all(Role.class).stream().anyMatch(r -> r.getMetadata().getName()
                    .equals("nestor-" + service + "-leader-election"))).as(service + " leader election").isEqualTo(leases);
            if (leases) {
                assertThat(allows(named(Role.class, "nestor-" + service + "-leader-election").getRules(),
                        "coordination.k8s.io", "leases", "update")).isTrue();
            }
        }

        List<PolicyRule> tenant = named(ClusterRole.class, "nestor-tenant").getRules();
        assertThat(tenant).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("nestor.dev");
            assertThat(rule.getResources()).containsExactly("tenantclusters");
        });
        assertThat(named(ClusterRole.class, "nestor-tenant").getAggregationRule()).isNull();
        assertThat(all(ClusterRoleBinding.class)).noneMatch(b -> b.getRoleRef().getName().equals("nestor-tenant"));
    }

    @Test
    void servicesCanDoTheirJobOfDesignSection21() {
        List<PolicyRule> cluster = named(ClusterRole.class, "nestor-cluster-service").getRules();
        for (String[] rendered : new String[][] {{"cluster.x-k8s.io", "clusters"},
                {"cluster.x-k8s.io", "machinedeployments"}, {"cluster.x-k8s.io", "machinehealthchecks"},
                {"controlplane.cluster.x-k8s.io", "kamajicontrolplanes"},
                {"infrastructure.cluster.x-k8s.io", "kubevirtclusters"},
                {"infrastructure.cluster.x-k8s.io", "kubevirtmachinetemplates"},
                {"bootstrap.cluster.x-k8s.io", "kubeadmconfigtemplates"}, {"nestor.dev", "tenantclusters"}}) {
            assertThat(ALL_VERBS).allMatch(verb -> allows(cluster, rendered[0], rendered[1], verb));
        }
        assertThat(allows(cluster, "nestor.dev", "tenantclusters/status", "update")).isTrue();
        assertThat(allows(cluster, "helm.toolkit.fluxcd.io", "helmreleases", "list")).isTrue();
        assertThat(allows(cluster, "helm.toolkit.fluxcd.io", "helmreleases", "delete")).isFalse();

        // RBAC lets autoscaler-bridge grant only what it holds: cluster-autoscaler's management rights (§5.5).
        List<PolicyRule> autoscaler = named(ClusterRole.class, "nestor-autoscaler-bridge").getRules();
        for (String resource : List.of("machinedeployments", "machinedeployments/scale", "machines", "machinesets",
                "machinepools")) {
            assertThat(List.of("get", "list", "watch", "update", "patch"))
                    .allMatch(verb -> allows(autoscaler, "cluster.x-k8s.io", resource, verb));
        }
        assertThat(allows(autoscaler, "rbac.authorization.k8s.io", "roles", "create")).isTrue();

        List<PolicyRule> csi = named(ClusterRole.class, "nestor-csi-bridge").getRules();
        assertThat(allows(csi, "subresources.kubevirt.io", "virtualmachines/addvolume", "update")).isTrue();
        assertThat(allows(csi, "subresources.kubevirt.io", "virtualmachines/removevolume", "update")).isTrue();
        assertThat(allows(csi, "kubevirt.io", "virtualmachines", "update")).isFalse();
        assertThat(allows(csi, "cdi.kubevirt.io", "datavolumes", "create")).isTrue();

        List<PolicyRule> addons = named(ClusterRole.class, "nestor-addon-service").getRules();
        assertThat(allows(addons, "helm.toolkit.fluxcd.io", "helmreleases", "patch")).isTrue();
        assertThat(allows(addons, "", "secrets", "get")).isFalse();
    }

    @Test
    void kafkaTopicsAndUsersNameOnlyWhatTheTopicSpecificationHas() {
        List<String> topics = Topics.all().stream().map(TopicSpec::name).toList();
        assertThat(kafka("KafkaTopic")).extracting(t -> t.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(topics);
        for (GenericKubernetesResource topic : kafka("KafkaTopic")) {
            TopicSpec spec = Topics.byName(topic.getMetadata().getName()).orElseThrow();
            assertThat((Object) topic.get("spec", "partitions")).isEqualTo(spec.partitions());
            assertThat((Object) topic.get("spec", "replicas")).isEqualTo((int) spec.replicationFactor());
            assertThat((Map<?, ?>) topic.get("spec", "config")).isEqualTo(spec.configs());
        }
        List<String> groups = Stream.concat(ConsumerGroups.all().stream(), Stream.of("nestor-integrator")).toList();
        for (GenericKubernetesResource user : kafka("KafkaUser")) {
            List<Map<String, Map<String, String>>> acls = user.get("spec", "authorization", "acls");
            assertThat(acls).isNotEmpty().allSatisfy(acl -> {
                Map<String, String> resource = acl.get("resource");
                if (resource.get("type").equals("topic")) {
                    assertThat(resource.get("name")).isIn(topics);
                } else {
                    assertThat(resource.get("type")).isEqualTo("group");
                    assertThat(resource.get("name")).isIn(groups);
                }
            });
        }
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in deploy/"));
    }

    private static List<GenericKubernetesResource> kafka(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    private static List<HasMetadata> roles() {
        return objects.stream().filter(o -> o instanceof ClusterRole || o instanceof Role).toList();
    }

    private static List<PolicyRule> rules(HasMetadata role) {
        return role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    }

    private static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb));
    }

    /**
     * Fields the fabric8 model did not recognise (it keeps them as additional properties rather than failing): a
     * typo such as {@code readinesProbe} would otherwise pass unnoticed, and the API server would drop it.
     */
    private static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(item -> unknown.addAll(unknownFields(item, path + "[]")));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknown.addAll(unknownFields(v, path + "." + k)));
        } else if (value != null && value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")
                && !(value instanceof GenericKubernetesResource)) {
            for (Method getter : value.getClass().getMethods()) {
                if (!getter.getName().startsWith("get") || getter.getParameterCount() != 0
                        || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object child = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties") && child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    unknown.addAll(unknownFields(child, path + "." + getter.getName().substring(3)));
                }
            }
        }
        return unknown;
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}

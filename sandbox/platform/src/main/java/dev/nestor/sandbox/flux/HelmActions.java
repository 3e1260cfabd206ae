package dev.nestor.sandbox.flux;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reconcile of a live, unsuspended HelmRelease: wait for dependencies and the tenant API, then run the install
 * or upgrade (taking {@link FluxTimings#install()}), and write the status helm-controller would.
 */
final class HelmActions {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Set<String> FAILED = Set.of("InstallFailed", "UpgradeFailed");
    private static final int MAX_HISTORY = 5;
    static final String CONFIG_MAP_PREFIX = "helm-release-";

    private HelmActions() {
    }

    /** A chart and the version to install. */
    record Chart(String name, String version) {
    }

    static Optional<Duration> reconcile(HelmControllerSimulator sim, GenericKubernetesResource release, Instant now) {
        ReleaseStatus status = new ReleaseStatus(release, now);
        long generation = Objects.generation(release);
        boolean done = Objects.number(release, -1, "status", "lastAttemptedGeneration") == generation
                && HelmControllerSimulator.ready(release);
        if (done) {
            return Optional.empty();
        }
        String namespace = release.getMetadata().getNamespace();
        for (Map<String, Object> dependency : Objects.list(release, "spec", "dependsOn")) {
            String depNamespace = dependency.get("namespace") == null ? namespace : dependency.get("namespace").toString();
            GenericKubernetesResource dep = sim.get(HelmControllerSimulator.HELM_RELEASE, depNamespace,
                    dependency.get("name").toString());
            if (dep == null || !HelmControllerSimulator.ready(dep)) {
                status.set(ReleaseStatus.READY, "False", "DependencyNotReady",
                        "dependency '" + depNamespace + "/" + dependency.get("name") + "' is not ready")
                        .remove(ReleaseStatus.RECONCILING);
                sim.writeStatus(release, status);
                return Optional.of(sim.timings().dependencyRequeue());
            }
        }
        Optional<Chart> chart = chart(sim, release);
        if (chart.isEmpty()) {
            status.set(ReleaseStatus.READY, "Unknown", "Progressing", "waiting for the chart's source artifact");
            sim.writeStatus(release, status);
            return Optional.of(sim.timings().dependencyRequeue());
        }
        TenantClients.Access access = sim.access(release);
        if (access instanceof TenantClients.Access.Missing missing) {
            status.set(ReleaseStatus.READY, "False", "InitFailed", "could not get the kubeconfig: " + missing.what())
                    .remove(ReleaseStatus.RECONCILING);
            sim.writeStatus(release, status);
            return Optional.of(sim.timings().retry());
        }
        KubernetesClient tenant = ((TenantClients.Access.Client) access).client();
        boolean upgrade = !Objects.list(release, "status", "history").isEmpty();
        String action = upgrade ? "upgrade" : "install";
        String failedReason = upgrade ? "UpgradeFailed" : "InstallFailed";

        // Start the action; it completes FluxTimings.install() after Reconciling turned True for this generation.
        Optional<Instant> since = status.condition(ReleaseStatus.RECONCILING)
                .filter(c -> "True".equals(c.get("status")) && Long.valueOf(generation).equals(number(c.get("observedGeneration"))))
                .map(c -> HelmControllerSimulator.parse(c.get("lastTransitionTime")));
        boolean retrying = FAILED.contains(status.condition(ReleaseStatus.READY).map(c -> c.get("reason")).orElse(""));
        if (since.isEmpty()) {
            String message = "Running '" + action + "' action with timeout of 10m0s";
            status.set(ReleaseStatus.RECONCILING, "True", retrying ? "ProgressingWithRetry" : "Progressing", message);
            if (!retrying) {
                status.set(ReleaseStatus.READY, "Unknown", "Progressing", message);
            }
            sim.writeStatus(release, status);
            return Optional.of(sim.timings().install());
        }
        Duration left = Duration.between(now, since.get().plus(sim.timings().install()));
        if (left.compareTo(Duration.ofMillis(50)) > 0) {
            return Optional.of(left);
        }

        String releaseName = releaseName(release);
        String target = Optional.ofNullable(Objects.string(release, "spec", "targetNamespace")).orElse(namespace);
        String chartRef = chart.get().name() + "@" + chart.get().version();
        Optional<String> down = TenantClients.unreachable(tenant);
        String addon = Optional.ofNullable(Objects.label(release, "nestor.dev/addon")).orElse(releaseName);
        String failure = down.orElse(sim.injectedFailures(release).contains(addon)
                ? "injected failure (" + HelmControllerSimulator.FAIL_ANNOTATION + ": addon:" + addon + ")" : null);
        if (failure != null) {
            String message = "Helm " + action + " failed for release " + target + "/" + releaseName + " with chart "
                    + chartRef + ": " + failure;
            String counter = upgrade ? "upgradeFailures" : "installFailures";
            status.put(counter, number(status.get(counter)) == null ? 1 : number(status.get(counter)) + 1)
                    .put("failures", number(status.get("failures")) == null ? 1 : number(status.get("failures")) + 1)
                    .put("lastAttemptedReleaseAction", action)
                    .set(ReleaseStatus.RELEASED, "False", failedReason, message)
                    .set(ReleaseStatus.READY, "False", failedReason, message)
                    .remove(ReleaseStatus.RECONCILING);
            sim.writeStatus(release, status);
            return Optional.of(sim.timings().retry());
        }

        String values = JSON.asJson(Objects.at(release, "spec", "values") == null ? Map.of() : Objects.at(release, "spec", "values"));
        List<Map<String, Object>> history = Objects.list(release, "status", "history");
        long revision = history.isEmpty() ? 1 : number(history.get(0).get("version")) + 1;
        String deployed = now.truncatedTo(ChronoUnit.SECONDS).toString();
        HelmControllerSimulator.ensureNamespace(tenant, target);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("release", releaseName);
        data.put("chart", chart.get().name());
        data.put("version", chart.get().version());
        data.put("revision", Long.toString(revision));
        data.put("values", values);
        data.put("managementObject", "HelmRelease " + namespace + "/" + release.getMetadata().getName());
        HelmControllerSimulator.writeConfigMap(tenant, target, CONFIG_MAP_PREFIX + releaseName, data,
                Map.of("app.kubernetes.io/managed-by", "Helm", "owner", "helm", "name", releaseName));

        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("name", releaseName);
        snapshot.put("namespace", target);
        snapshot.put("version", revision);
        snapshot.put("status", "deployed");
        snapshot.put("chartName", chart.get().name());
        snapshot.put("chartVersion", chart.get().version());
        snapshot.put("configDigest", "sha256:" + sha256(values));
        snapshot.put("digest", "sha256:" + sha256(releaseName + revision + chartRef + values));
        snapshot.put("firstDeployed", history.isEmpty() ? deployed : history.get(history.size() - 1).get("firstDeployed"));
        snapshot.put("lastDeployed", deployed);
        List<Map<String, Object>> newHistory = new ArrayList<>();
        newHistory.add(snapshot);
        history.stream().limit(MAX_HISTORY - 1).forEach(newHistory::add);
        String reason = upgrade ? "UpgradeSucceeded" : "InstallSucceeded";
        String message = "Helm " + action + " succeeded for release " + target + "/" + releaseName + ".v" + revision
                + " with chart " + chartRef;
        status.put("history", newHistory)
                .put("lastAttemptedRevision", chart.get().version())
                .put("lastAttemptedReleaseAction", action)
                .put("lastAttemptedGeneration", generation)
                .put("lastAttemptedConfigDigest", "sha256:" + sha256(values))
                .put("storageNamespace", Optional.ofNullable(Objects.string(release, "spec", "storageNamespace")).orElse(namespace))
                .put("failures", 0)
                .set(ReleaseStatus.RELEASED, "True", reason, message)
                .set(ReleaseStatus.READY, "True", reason, message)
                .remove(ReleaseStatus.RECONCILING);
        sim.writeStatus(release, status);
        return Optional.empty();
    }

    /** Removes what the install left in the tenant; the namespace stays, as with Helm. */
    static void uninstall(KubernetesClient tenant, GenericKubernetesResource release) {
        String target = Optional.ofNullable(Objects.string(release, "spec", "targetNamespace"))
                .orElse(release.getMetadata().getNamespace());
        try {
            tenant.configMaps().inNamespace(target).withName(CONFIG_MAP_PREFIX + releaseName(release)).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Flux's default release name: {@code [<targetNamespace>-]<name>} unless {@code releaseName} is set. */
    static String releaseName(GenericKubernetesResource release) {
        String explicit = Objects.string(release, "spec", "releaseName");
        if (explicit != null) {
            return explicit;
        }
        String target = Objects.string(release, "spec", "targetNamespace");
        return (target == null ? "" : target + "-") + release.getMetadata().getName();
    }

    private static Optional<Chart> chart(HelmControllerSimulator sim, GenericKubernetesResource release) {
        String chart = Objects.string(release, "spec", "chart", "spec", "chart");
        if (chart != null) {
            return Optional.of(new Chart(chart,
                    Optional.ofNullable(Objects.string(release, "spec", "chart", "spec", "version")).orElse("*")));
        }
        if (!"OCIRepository".equals(Objects.string(release, "spec", "chartRef", "kind"))) {
            return Optional.empty();
        }
        String sourceNamespace = Optional.ofNullable(Objects.string(release, "spec", "chartRef", "namespace"))
                .orElse(release.getMetadata().getNamespace());
        GenericKubernetesResource source = sim.get(HelmControllerSimulator.OCI_REPOSITORY, sourceNamespace,
                Objects.string(release, "spec", "chartRef", "name"));
        if (source == null) {
            return Optional.empty();
        }
        String url = Objects.string(source, "spec", "url");
        String tag = Optional.ofNullable(Objects.string(source, "spec", "ref", "tag")).orElse("latest");
        return Optional.of(new Chart(url.substring(url.lastIndexOf('/') + 1), tag));
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

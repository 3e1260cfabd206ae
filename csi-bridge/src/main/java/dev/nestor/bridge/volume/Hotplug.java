package dev.nestor.bridge.volume;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** KubeVirt's hot-plug subresources ({@code subresources.kubevirt.io/v1}), which fabric8 has no DSL for. */
public final class Hotplug {

    private Hotplug() {
    }

    /** {@code PUT .../virtualmachines/<vm>/addvolume}: a DataVolume as a hot-pluggable disk with {@code serial}. */
    public static void add(KubernetesClient management, String namespace, String vm, String dataVolume,
            String serial, String bus) {
        put(management, namespace, "virtualmachines", vm, "addvolume", Map.of(
                "name", dataVolume,
                "disk", Map.of("name", dataVolume, "serial", serial, "disk", Map.of("bus", bus)),
                "volumeSource", Map.of("dataVolume", Map.of("name", dataVolume, "hotpluggable", true))));
    }

    /**
     * {@code PUT .../<virtualmachines|virtualmachineinstances>/<vm>/removevolume}.
     *
     * @param plural {@code virtualmachines}, or {@code virtualmachineinstances} when only the instance still has it
     */
    public static void remove(KubernetesClient management, String namespace, String plural, String vm,
            String dataVolume) {
        put(management, namespace, plural, vm, "removevolume", Map.of("name", dataVolume));
    }

    private static void put(KubernetesClient management, String namespace, String plural, String vm,
            String subresource, Map<String, Object> body) {
        String url = management.getMasterUrl().toString().replaceAll("/$", "")
                + "/apis/subresources.kubevirt.io/v1/namespaces/" + namespace + "/" + plural + "/" + vm + "/"
                + subresource;
        HttpRequest request = management.getHttpClient().newHttpRequestBuilder().uri(url)
                .put("application/json", Serialization.asJson(body)).build();
        try {
            HttpResponse<String> response = management.getHttpClient().sendAsync(request, String.class)
                    .get(30, TimeUnit.SECONDS);
            if (!response.isSuccessful()) {
                throw new KubernetesClientException(subresource + " of " + dataVolume(body) + " on " + plural + "/"
                        + vm + " failed: HTTP " + response.code() + " " + response.body(), response.code(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted during " + subresource, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(subresource + " on " + plural + "/" + vm + " failed: " + e, e);
        }
    }

    private static Object dataVolume(Map<String, Object> body) {
        return body.get("name");
    }
}

package dev.nestor.sandbox.e2e;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.List;

/** Every object of every registered kind carrying a label, found through discovery. */
final class Inventory {
    private Inventory() {
    }

    static List<GenericKubernetesResource> labelled(KubernetesClient client, String label, String value) {
        List<GenericKubernetesResource> found = new ArrayList<>();
        List<String> groupVersions = new ArrayList<>();
        groupVersions.add("v1");
        client.getApiGroups().getGroups().forEach(g -> g.getVersions().forEach(v -> groupVersions.add(v.getGroupVersion())));
        for (String gv : groupVersions) {
            APIResourceList resources = client.getApiResources(gv);
            if (resources == null) {
                continue;
            }
            for (APIResource r : resources.getResources()) {
                if (r.getName().contains("/") || !r.getVerbs().contains("list")) {
                    continue;
                }
                int slash = gv.indexOf('/');
                var ctx = new ResourceDefinitionContext.Builder().withGroup(slash < 0 ? "" : gv.substring(0, slash))
                        .withVersion(slash < 0 ? gv : gv.substring(slash + 1)).withKind(r.getKind())
                        .withPlural(r.getName()).withNamespaced(Boolean.TRUE.equals(r.getNamespaced())).build();
                try {
                    var op = client.genericKubernetesResources(ctx);
                    var items = Boolean.TRUE.equals(r.getNamespaced())
                            ? op.inAnyNamespace().withLabel(label, value).list().getItems()
                            : op.withLabel(label, value).list().getItems();
                    items.forEach(i -> {
                        i.setApiVersion(gv);
                        i.setKind(r.getKind());
                    });
                    found.addAll(items);
                } catch (KubernetesClientException e) {
                    throw new AssertionError("cannot list " + gv + " " + r.getName() + ": " + e.getMessage(), e);
                }
            }
        }
        return found;
    }
}

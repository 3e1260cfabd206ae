package dev.nestor.cluster.render;

import dev.nestor.cluster.model.NodeGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pure function of DESIGN §4: (accepted spec, versions, catalog, live templates) → every
 * object cluster-service applies for one cluster. No I/O, no clock.
 */
public final class ClusterRenderer {
    private ClusterRenderer() {
    }

    public static Desired render(RenderInput in) {
        List<GenericKubernetesResource> objects = new ArrayList<>(ControlPlaneRenderer.render(in));
        Set<String> keep = new LinkedHashSet<>();
        for (NodeGroup group : in.spec().nodeGroups) {
            NodeGroupRenderer.Rendered rendered = NodeGroupRenderer.render(in, group);
            objects.addAll(rendered.objects());
            keep.add(rendered.infraTemplate());
            keep.add(rendered.bootstrapTemplate());
        }
        keep.addAll(in.liveTemplates());
        objects.sort((a, b) -> Integer.compare(order(a), order(b)));
        return new Desired(List.copyOf(objects), Set.copyOf(keep));
    }

    private static int order(GenericKubernetesResource r) {
        return Kind.RENDERED.indexOf(Kind.of(r.getApiVersion(), r.getKind()));
    }
}

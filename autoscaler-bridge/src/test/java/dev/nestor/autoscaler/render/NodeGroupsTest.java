package dev.nestor.autoscaler.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.nestor.autoscaler.render.Fixtures.machineDeployment;
import static org.assertj.core.api.Assertions.assertThat;

/** Whether a cluster needs an autoscaler comes from the observed annotations, as the autoscaler discovers them. */
class NodeGroupsTest {

    @ParameterizedTest(name = "min={0} max={1} → autoscaled={2}")
    @CsvSource(nullValues = "none", value = {
            "1, 3, true", "0, 5, true", "2, 2, true", "none, 3, false", "1, none, false", "none, none, false",
            "3, 1, false", "-1, 3, false", "one, 3, false", "' 1 ', 3, true"})
    void aGroupAutoscalesOnlyWithBothAnnotationsMakingARange(String min, String max, boolean autoscaled) {
        List<NodeGroup> groups = NodeGroups.of("demo", List.of(machineDeployment("demo", "md0", min, max, 1, 1)));
        assertThat(groups).singleElement().satisfies(g -> assertThat(g.autoscaled()).isEqualTo(autoscaled));
        assertThat(NodeGroups.anyAutoscaled(groups)).isEqualTo(autoscaled);
    }

    @Test
    void onlyTheClustersOwnMachineDeploymentsCountSortedByGroup() {
        List<NodeGroup> groups = NodeGroups.of("demo", List.of(
                machineDeployment("demo", "md1", null, null, 2, 1),
                machineDeployment("other", "md0", "1", "5", 1, 1),
                machineDeployment("demo", "md0", "1", "3", 2, null)));
        assertThat(groups).containsExactly(
                new NodeGroup("md0", "demo-md0", 1, 3, 2, null, null),
                new NodeGroup("md1", "demo-md1", null, null, 2, 1, 1));
    }

    @Test
    void aClusterWithFixedSizeGroupsOnlyNeedsNoAutoscaler() {
        assertThat(NodeGroups.anyAutoscaled(NodeGroups.of("demo", List.of(
                machineDeployment("demo", "md0", null, null, 2, 2))))).isFalse();
        assertThat(NodeGroups.anyAutoscaled(List.of())).isFalse();
    }
}

package dev.nestor.autoscaler.render;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The version table: the autoscaler minor follows the tenant's minor; unknown minors have no image. */
class AutoscalerImagesTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "none", value = {
            "v1.33.5, registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0",
            "1.32.9, registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1",
            "v1.34, registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0",
            "v1.29.1, none", "latest, none", "none, none"})
    void imageFor(String version, String image) {
        assertThat(Fixtures.IMAGES.imageFor(version).orElse(null)).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0} → v1beta1 {1}")
    @CsvSource({"v1.31.13, true", "v1.33.5, true", "v1.34.1, false", "v1.35, false", "v2.1, false", "junk, false"})
    void olderThan134ReadsV1beta1(String version, boolean v1beta1) {
        assertThat(AutoscalerImages.needsV1beta1(version)).isEqualTo(v1beta1);
    }
}

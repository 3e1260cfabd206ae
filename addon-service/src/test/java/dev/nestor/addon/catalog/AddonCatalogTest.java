package dev.nestor.addon.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped catalog holds what the issue lists and what cluster-service lets a spec name. */
class AddonCatalogTest {
    static final AddonCatalog CATALOG = AddonCatalog.load();

    @Test
    void everyAddonASpecMayNameIsInstallableAndKonnectivityIsBuiltIn() throws Exception {
        Properties clusterService = new Properties();
        Path properties = Path.of("..", "cluster-service", "src", "main", "resources", "application.properties");
        try (var in = Files.newInputStream(properties)) {
            clusterService.load(in);
        }
        Set<String> allowed = Arrays.stream(clusterService.getProperty("nestor.addon-catalog").split(","))
                .map(String::trim).collect(Collectors.toSet());
        Set<String> installable = CATALOG.entries().stream().filter(e -> !e.builtIn()).map(CatalogEntry::name)
                .collect(Collectors.toSet());
        assertThat(installable).isEqualTo(allowed);
        assertThat(CATALOG.find("konnectivity")).hasValueSatisfying(k -> assertThat(k.builtIn()).isTrue());
    }

    @Test
    void alwaysOnAreTheCniCoreDnsCsiAndMetricsServer() {
        assertThat(CATALOG.entries().stream().filter(e -> !e.builtIn() && e.defaultEnabled()).map(CatalogEntry::name))
                .containsExactly("cilium", "coredns", "kubevirt-csi-node", "metrics-server");
        assertThat(CATALOG.entries().stream().filter(CatalogEntry::isCni).map(CatalogEntry::name))
                .containsExactly("cilium", "calico");
    }

    @Test
    void aBrokenCatalogIsRefusedWhenLoaded() {
        assertThatThrownBy(() -> parse("""
                addons:
                  - {name: a, category: dns, source: {kind: HelmRepository, url: https://x}, chart: a, version: 1.0.0,
                     targetNamespace: x, strategy: RemediateOnFailure, dependsOn: [b]}
                """)).hasMessageContaining("depends on 'b'");
        assertThatThrownBy(() -> parse("""
                addons:
                  - {name: a, category: dns, source: {kind: OCIRepository, url: https://x}, version: 1.0.0,
                     targetNamespace: x, strategy: RemediateOnFailure}
                """)).hasMessageContaining("oci://");
        assertThatThrownBy(() -> parse("""
                addons:
                  - {name: a, colour: red}
                """)).hasMessageContaining("colour");
    }

    private static AddonCatalog parse(String yaml) throws Exception {
        return AddonCatalog.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}

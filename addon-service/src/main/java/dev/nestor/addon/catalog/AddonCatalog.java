package dev.nestor.addon.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The add-on catalog, read from {@code catalog.yaml} and checked for consistency when loaded. */
public final class AddonCatalog {

    /** The classpath resource holding the catalog. */
    public static final String RESOURCE = "/dev/nestor/addon/catalog.yaml";

    /** A missing boolean is false; an unknown field is an error (a typo must not silently drop a setting). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, CatalogEntry> entries;

    @JsonIgnoreProperties(ignoreUnknown = false)
    private record File(List<CatalogEntry> addons) {
    }

    private AddonCatalog(List<CatalogEntry> list) {
        Map<String, CatalogEntry> byName = new LinkedHashMap<>();
        for (CatalogEntry entry : list) {
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("add-on " + entry.name() + " is listed twice");
            }
        }
        this.entries = byName;
        entries.values().forEach(this::check);
    }

    /** The catalog shipped with the service. */
    public static AddonCatalog load() {
        try (InputStream in = AddonCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A catalog from YAML in the format of {@code catalog.yaml}. */
    public static AddonCatalog parse(InputStream yaml) throws IOException {
        return new AddonCatalog(YAML.readValue(yaml, File.class).addons());
    }

    /** A catalog of the given entries (tests). */
    public static AddonCatalog of(List<CatalogEntry> entries) {
        return new AddonCatalog(new ArrayList<>(entries));
    }

    /** Every entry, in catalog order (built-ins included). */
    public Collection<CatalogEntry> entries() {
        return entries.values();
    }

    public Optional<CatalogEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    private void check(CatalogEntry e) {
        String at = "add-on " + e.name();
        if (e.name() == null || !e.name().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("add-on name '" + e.name() + "' is not a DNS label");
        }
        if (e.builtIn()) {
            return;
        }
        if (e.source() == null || e.source().kind() == null || e.source().url() == null || e.version() == null
                || e.targetNamespace() == null || e.strategy() == null) {
            throw new IllegalArgumentException(at + " needs source.kind, source.url, version, targetNamespace, strategy");
        }
        boolean oci = e.source().kind() == ChartSource.Kind.OCIRepository;
        if (oci != e.source().url().startsWith("oci://")) {
            throw new IllegalArgumentException(at + ": an OCIRepository takes an oci:// URL, a HelmRepository https://");
        }
        if (!oci && e.chart() == null) {
            throw new IllegalArgumentException(at + ": a HelmRepository source needs a chart name");
        }
        if (!e.values().isObject()) {
            throw new IllegalArgumentException(at + ": values is an object");
        }
        for (String dependency : e.dependsOn()) {
            CatalogEntry target = entries.get(dependency);
            if (!CatalogEntry.CNI.equals(dependency) && (target == null || target.builtIn())) {
                throw new IllegalArgumentException(at + " depends on '" + dependency + "', which it cannot install");
            }
        }
        if (e.isCni() && !e.dependsOn().isEmpty()) {
            throw new IllegalArgumentException(at + ": the CNI comes first and depends on nothing");
        }
    }
}

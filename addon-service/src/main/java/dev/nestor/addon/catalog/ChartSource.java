package dev.nestor.addon.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where an add-on's chart comes from: a Flux {@code HelmRepository} ({@code https://}) or {@code OCIRepository}
 * ({@code oci://}, the chart itself as the artifact).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ChartSource(Kind kind, String url) {

    /** The Flux source kinds the catalog uses. */
    public enum Kind {
        HelmRepository,
        OCIRepository
    }
}

package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The patch version and worker image a spec version resolved to, pinned until the version changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ResolvedVersion {
    /** What the spec asked for, e.g. v1.33. */
    public String requested;
    /** The pinned patch version, e.g. v1.33.4. */
    public String version;
    /** The worker disk image for that version. */
    public String image;

    public ResolvedVersion() {
    }

    public ResolvedVersion(String requested, String version, String image) {
        this.requested = requested;
        this.version = version;
        this.image = image;
    }
}

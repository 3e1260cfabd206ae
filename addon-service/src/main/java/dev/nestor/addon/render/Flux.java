package dev.nestor.addon.render;

/** The Flux kinds addon-service writes (schemas in ../shared/crds/fluxcd). */
public final class Flux {
    public static final String HELM_RELEASE_API = "helm.toolkit.fluxcd.io/v2";
    public static final String HELM_RELEASE = "HelmRelease";
    public static final String SOURCE_API = "source.toolkit.fluxcd.io/v1";
    public static final String HELM_REPOSITORY = "HelmRepository";
    public static final String OCI_REPOSITORY = "OCIRepository";
    /** The media type of a Helm chart layer in an OCI artifact. */
    public static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    private Flux() {
    }
}

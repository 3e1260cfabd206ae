package dev.nestor.cluster.validate;

/**
 * What a version change is checked against (DESIGN §4): the version last accepted, the version
 * the control plane actually runs, and whether the last rollout finished (control plane and every
 * node group up to date). A new cluster has none of them.
 */
public record VersionContext(String acceptedVersion, String runningVersion, boolean rolloutDone) {
    public static final VersionContext NEW = new VersionContext(null, null, true);

    /** The rule id of a change refused because another one still rolls out (REST answers 409). */
    public static final String UPGRADE_IN_PROGRESS = "upgrade-in-progress";
}

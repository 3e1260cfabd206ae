package dev.nestor.sandbox.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the reactor root and the upstream CRDs from wherever a test or tool runs. */
public final class ReactorPaths {
    private ReactorPaths() {
    }

    /** The directory holding {@code deploy/crds}, walking up from the working directory. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy").resolve("crds")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Nestor reactor root (with deploy/crds) above " + dir);
    }

    /**
     * The upstream CRD folder: system property {@code nestor.upstream.crds}, environment variable
     * {@code NESTOR_UPSTREAM_CRDS}, or {@code ../shared/crds} beside the reactor; empty when absent.
     */
    public static Optional<Path> upstreamCrds() {
        String configured = System.getProperty("nestor.upstream.crds", System.getenv("NESTOR_UPSTREAM_CRDS"));
        Path candidate = configured != null && !configured.isBlank() ? Path.of(configured)
                : root().resolve("..").resolve("shared").resolve("crds");
        return Files.isDirectory(candidate) ? Optional.of(candidate.toAbsolutePath().normalize()) : Optional.empty();
    }
}

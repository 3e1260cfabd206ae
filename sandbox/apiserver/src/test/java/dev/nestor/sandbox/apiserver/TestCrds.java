package dev.nestor.sandbox.apiserver;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Paths to the test CRDs and to the upstream CRDs of ../shared/crds. */
final class TestCrds {
  private TestCrds() {
  }

  static Path own() {
    try {
      return Path.of(TestCrds.class.getResource("/crds").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The upstream CRD folder, or a skipped test when it is absent. */
  static Path upstream() {
    String dir = System.getProperty("nestor.upstream.crds");
    Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
        "upstream CRDs (../shared/crds, system property nestor.upstream.crds) not present: test skipped");
    return Path.of(dir);
  }
}

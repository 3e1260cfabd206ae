package dev.nestor.sandbox.apiserver;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ApiServer} on 127.0.0.1 until the process is stopped:
 * {@code --port 6443 --kubeconfig <file> --crds <dir> [--upstream-crds <dir>]}.
 */
public final class ApiServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServerMain.class);

  private ApiServerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    ApiServer.Builder builder = ApiServer.builder().port(6443);
    Path kubeconfig = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(require(args[i], value)));
        case "--kubeconfig" -> kubeconfig = Path.of(require(args[i], value));
        case "--crds" -> builder.crds(Path.of(require(args[i], value)));
        case "--upstream-crds" -> builder.upstreamSchemas(Path.of(require(args[i], value)));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: --port 6443 --kubeconfig <file> --crds <dir> [--upstream-crds <dir>]");
      }
      i++;
    }
    ApiServer server = builder.start();
    if (kubeconfig != null) {
      server.writeKubeconfig(kubeconfig);
    }
    LOG.info("API server listening on {}{}", server.url(), kubeconfig == null ? "" : ", kubeconfig " + kubeconfig);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "apiserver-shutdown"));
    stopped.await();
  }

  private static String require(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}

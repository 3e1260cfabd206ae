package dev.nestor.sandbox.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs /usr/bin/kubectl against a server through a written kubeconfig, with its own discovery cache. */
final class Kubectl {
  static final Path BINARY = Path.of("/usr/bin/kubectl");

  /** Exit code and output of one run. */
  record Result(int exit, String out, String err) {
  }

  private final Path kubeconfig;
  private final Path cache;

  Kubectl(ApiServer server, Path dir) throws IOException {
    this.kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    this.cache = Files.createDirectories(dir.resolve("cache"));
  }

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  Result withInput(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("--request-timeout=20s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("KUBECACHEDIR", cache.toString());
    pb.environment().put("HOME", cache.toString());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kubectl " + args[0] + " timed out");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  Result run(String... args) throws IOException, InterruptedException {
    return withInput(null, args);
  }
}

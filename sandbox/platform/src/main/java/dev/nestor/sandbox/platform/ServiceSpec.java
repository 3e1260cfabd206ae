package dev.nestor.sandbox.platform;

import java.nio.file.Path;
import java.util.List;

/**
 * One of Nestor's services as the sandbox runs it: its module (which is also its name) and HTTP port.
 *
 * @param name the Maven module, e.g. {@code cluster-service}
 * @param port the HTTP port ({@code QUARKUS_HTTP_PORT})
 */
public record ServiceSpec(String name, int port) {

    /** The four services, in start order. */
    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("cluster-service", 8080),
            new ServiceSpec("addon-service", 8081),
            new ServiceSpec("autoscaler-bridge", 8082),
            new ServiceSpec("csi-bridge", 8083));

    /** The fast-jar the Quarkus build leaves in the module. */
    public Path jar(Path root) {
        return root.resolve(name).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** The readiness endpoint of SmallRye Health. */
    public String readinessUrl() {
        return "http://127.0.0.1:" + port + "/q/health/ready";
    }

    public static ServiceSpec named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "', expected one of "
                        + ALL.stream().map(ServiceSpec::name).toList()));
    }
}

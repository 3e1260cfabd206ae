package dev.nestor.sandbox.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's command line.
 *
 * @param root the repository root (the services' jars, {@code deploy/crds})
 * @param stateDir where the kubeconfig, logs, pids and broker data go ({@code .nestor} under the root by default)
 * @param apiPort the management API server's port
 * @param kafkaPort the broker's client port
 * @param services the services to start, in order
 * @param upstreamCrds where the upstream CRD schemas are, if anywhere
 * @param timingScale a factor on the simulated controllers' delays (1 = a cluster Ready in about 10 s)
 * @param startupTimeout how long every part may take to answer its health check
 */
public record PlatformOptions(
        Path root,
        Path stateDir,
        int apiPort,
        int kafkaPort,
        List<ServiceSpec> services,
        Optional<Path> upstreamCrds,
        double timingScale,
        Duration startupTimeout) {

    static final String USAGE = """
            usage: Platform [--root DIR] [--state-dir DIR] [--api-port N] [--kafka-port N] [--services a,b,...|none]
                            [--timing-scale F] [--startup-timeout SECONDS]
            Upstream CRD schemas are read from $NESTOR_UPSTREAM_CRDS, else ../shared/crds next to the root.""";

    public Path kubeconfig() {
        return stateDir().resolve("kubeconfig");
    }

    public Path logDir() {
        return stateDir().resolve("logs");
    }

    /** Parses the arguments; {@code env} supplies {@code NESTOR_UPSTREAM_CRDS}. */
    public static PlatformOptions parse(List<String> args, Map<String, String> env) {
        Path root = Path.of("").toAbsolutePath();
        Path stateDir = null;
        int apiPort = 6443;
        int kafkaPort = 9092;
        List<ServiceSpec> services = ServiceSpec.ALL;
        double timingScale = 1.0;
        Duration startupTimeout = Duration.ofSeconds(180);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--root" -> root = Path.of(value(args, ++i, arg)).toAbsolutePath().normalize();
                case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg)).toAbsolutePath().normalize();
                case "--api-port" -> apiPort = port(value(args, ++i, arg), arg);
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, arg), arg);
                case "--services" -> services = services(value(args, ++i, arg));
                case "--timing-scale" -> timingScale = positive(value(args, ++i, arg), arg);
                case "--startup-timeout" -> startupTimeout = Duration.ofSeconds((long) positive(value(args, ++i, arg),
                        arg));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        return new PlatformOptions(root, stateDir == null ? root.resolve(".nestor") : stateDir, apiPort, kafkaPort,
                services, upstreamCrds(root, env), timingScale,
                startupTimeout);
    }

    private static Optional<Path> upstreamCrds(Path root, Map<String, String> env) {
        String configured = env.get("NESTOR_UPSTREAM_CRDS");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath()
                : root.resolveSibling("shared").resolve("crds");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    private static List<ServiceSpec> services(String value) {
        if (value.equals("none")) {
            return List.of();
        }
        List<ServiceSpec> services = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                services.add(ServiceSpec.named(name.trim()));
            }
        }
        return List.copyOf(services);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(index);
    }

    private static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port between 1 and 65535, got '" + value + "'");
        }
    }

    private static double positive(String value, String option) {
        try {
            double number = Double.parseDouble(value);
            if (!(number > 0)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive number, got '" + value + "'");
        }
    }
}

package dev.nestor.sandbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/** Locates the broker's classpath, written by the {@code sandbox-kafka-broker} module. */
final class KafkaClasspath {

    /** System property naming the {@code kafka.classpath} file. */
    static final String PROPERTY = "nestor.kafka.classpath";
    static final Path RELATIVE = Path.of("sandbox", "kafka-broker", "target", "kafka.classpath");

    private KafkaClasspath() {
    }

    /** The broker classpath plus this module's classes (for {@link BrokerMain} and the log configuration). */
    static String forBroker() {
        Path file = locate();
        String classpath;
        try {
            classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> missing = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                missing.add(entry);
            }
        }
        if (classpath.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("the Kafka broker classpath in " + file + " is stale (missing: " + missing
                    + "); run ./mvnw -B install -DskipTests from the repository root");
        }
        return ownLocation() + File.pathSeparator + classpath;
    }

    static Path locate() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            Path file = Path.of(property);
            if (!Files.isRegularFile(file)) {
                throw missing("system property " + PROPERTY + " names " + file + ", which does not exist");
            }
            return file;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw missing("no " + RELATIVE + " in " + start + " or any parent directory");
    }

    private static IllegalStateException missing(String why) {
        return new IllegalStateException("cannot find the Kafka broker classpath: " + why
                + ". Run ./mvnw -B install -DskipTests from the repository root (module sandbox/kafka-broker writes"
                + " it), or set -D" + PROPERTY + "=<path to kafka.classpath>");
    }

    /**
     * Where {@link BrokerMain} comes from: a classes directory or the sandbox-testing jar. Under a Quarkus test class
     * loader the code source may be missing or not a file, so the class file's URL and the JVM class path are
     * tried next.
     */
    static String ownLocation() {
        String classFile = BrokerMain.class.getName().replace('.', '/') + ".class";
        CodeSource source = BrokerMain.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
            return toPath(source.getLocation().toString());
        }
        URL url = BrokerMain.class.getClassLoader().getResource(classFile);
        if (url != null) {
            String text = url.toString();
            if (text.startsWith("jar:file:") && text.contains("!/")) {
                return toPath(text.substring("jar:".length(), text.indexOf("!/")));
            }
            if (text.startsWith("file:") && text.endsWith(classFile)) {
                return toPath(text.substring(0, text.length() - classFile.length()));
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path.resolve(classFile))) {
                return path.toString();
            }
        }
        throw new IllegalStateException("cannot locate the classes of " + BrokerMain.class.getName()
                + " (found " + url + ") to put them on the Kafka broker's class path");
    }

    private static String toPath(String fileUrl) {
        try {
            return Path.of(new URI(fileUrl)).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot turn " + fileUrl + " into a path", e);
        }
    }
}

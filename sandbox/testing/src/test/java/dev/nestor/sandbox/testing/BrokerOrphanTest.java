package dev.nestor.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerOrphanTest {

    @Test
    void brokerExitsWhenItsParentIsKilledWithSigkill() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "kafka-orphan-");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                OrphanParentMain.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long brokerPid = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readPidLine(out)).get(120, TimeUnit.SECONDS);
            brokerPid = Long.parseLong(line.substring("broker-pid ".length()));
            assertThat(ProcessHandle.of(brokerPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            parent.destroyForcibly().waitFor();

            long pid = brokerPid;
            await().atMost(Duration.ofSeconds(30)).until(() -> !alive(pid));
        } finally {
            parent.destroyForcibly();
            if (brokerPid > 0) {
                ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            KafkaBrokerResource.deleteRecursively(dataDir);
        }
    }

    private static String readPidLine(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("broker-pid ")) {
                    return line;
                }
            }
            throw new IllegalStateException("the parent process ended without starting a broker");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Alive and not a zombie: an orphan is reaped by whatever adopts it, which may take a moment or never happen. */
    private static boolean alive(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || !Files.exists(stat)) {
            return false;
        }
        String content = Files.readString(stat);
        char state = content.charAt(content.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }
}

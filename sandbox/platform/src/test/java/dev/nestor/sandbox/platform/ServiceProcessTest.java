package dev.nestor.sandbox.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision of the services' processes, with a shell standing in for a service. */
class ServiceProcessTest {

    private static final Duration SHORT = Duration.ofSeconds(10);

    @TempDir
    Path state;

    @Test
    void childGetsItsEnvironmentItsLogAndIsRecordedUntilStopped() throws Exception {
        PidFile pids = new PidFile(state.resolve("pids"));
        Path log = state.resolve("logs").resolve("dummy.log");
        ServiceProcess child = ServiceProcess.start("dummy", List.of("sh", "-c",
                "echo \"listening on $QUARKUS_HTTP_PORT\"; exec sleep 60"), Map.of("QUARKUS_HTTP_PORT", "18089"),
                log, pids);

        await().atMost(SHORT).until(() -> child.logTail(5).contains("listening on 18089"));
        assertThat(PidFile.read(state.resolve("pids"))).containsEntry(child.pid(), "dummy");

        child.stop(SHORT);

        assertThat(child.isAlive()).isFalse();
        assertThat(PidFile.read(state.resolve("pids"))).doesNotContainKey(child.pid());
        assertThat(Files.readString(log)).contains("listening on 18089");
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
        PidFile pids = new PidFile(state.resolve("pids"));
        ServiceProcess stubborn = ServiceProcess.start("stubborn", List.of("sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.1; done"), Map.of(), state.resolve("stubborn.log"),
                pids);
        await().atMost(SHORT).until(() -> stubborn.logTail(1).contains("ready"));

        long started = System.nanoTime();
        stubborn.stop(Duration.ofMillis(300));

        assertThat(stubborn.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SHORT);
    }

    @Test
    void aChildDiesWithTheThreadThatStartedIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        PidFile pids = new PidFile(state.resolve("pids"));
        AtomicReference<ServiceProcess> child = new AtomicReference<>();
        // The same kernel mechanism that stops the services when the platform is killed with SIGKILL. The thread
        // lives until the child runs (setpriv has armed the signal by then), as the platform's main thread does.
        Thread parent = new Thread(() -> {
            ServiceProcess started = ServiceProcess.start("orphan", List.of("sh", "-c", "echo armed; exec sleep 60"),
                    Map.of(), state.resolve("orphan.log"), pids);
            child.set(started);
            await().atMost(SHORT).until(() -> started.logTail(1).contains("armed"));
        });
        parent.start();
        parent.join();

        await().atMost(SHORT).until(() -> !child.get().isAlive());
        child.get().stop(SHORT);
    }

    @Test
    void straysOfAPreviousRunAreStoppedButForeignProcessesAreSpared() throws Exception {
        Process ours = new ProcessBuilder("bash", "-c", "exec -a nestor.sandbox.leftover sleep 60").start();
        Process foreign = new ProcessBuilder("sleep", "60").start();
        try {
            await().atMost(SHORT).until(() -> StrayProcesses.ours(ours.toHandle()));

            int stopped = StrayProcesses.reap(Map.of(ours.pid(), "addon-service", foreign.pid(), "csi-bridge",
                    999_999_999L, "gone"));

            assertThat(stopped).isEqualTo(1);
            await().atMost(SHORT).until(() -> !ours.isAlive());
            assertThat(foreign.isAlive()).as("a recycled pid is left alone").isTrue();
        } finally {
            ours.destroyForcibly();
            foreign.destroyForcibly();
        }
    }

    @Test
    void pidFileKeepsOneLinePerProcessAndIgnoresGarbage() throws Exception {
        Path file = state.resolve("pids");
        PidFile pids = new PidFile(file);
        pids.add(101, "kafka-broker");
        pids.add(102, "cluster-service");
        pids.remove(101);
        assertThat(Files.readAllLines(file)).containsExactly("102 cluster-service");

        Files.writeString(file, "12 csi-bridge\nnot a pid\n\n13\n");
        assertThat(PidFile.read(file)).containsExactly(Map.entry(12L, "csi-bridge"));
        pids.delete();
        assertThat(file).doesNotExist();
    }
}

package dev.nestor.sandbox.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops processes a previous platform recorded and left behind (it was killed before it could stop them). A pid is
 * only signalled when its command line still looks like one of ours, since pids are reused.
 */
final class StrayProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(StrayProcesses.class);
    private static final Duration GRACE = Duration.ofSeconds(15);
    /** What the command line of a process the platform starts contains. */
    static final List<String> MARKERS = List.of("nestor.sandbox", "quarkus-run.jar", "BrokerMain");

    private StrayProcesses() {
    }

    /** Stops the live, recognisable processes among {@code recorded}; returns how many it stopped. */
    static int reap(Map<Long, String> recorded) {
        int stopped = 0;
        for (Map.Entry<Long, String> entry : recorded.entrySet()) {
            Optional<ProcessHandle> handle = ProcessHandle.of(entry.getKey()).filter(ProcessHandle::isAlive);
            if (handle.isEmpty() || !ours(handle.get())) {
                continue;
            }
            LOG.warn("Stopping {} (pid {}) left over from a previous run", entry.getValue(), entry.getKey());
            stop(handle.get());
            stopped++;
        }
        return stopped;
    }

    static boolean ours(ProcessHandle process) {
        String commandLine = commandLine(process);
        return MARKERS.stream().anyMatch(commandLine::contains);
    }

    /** The full argument vector, argv[0] included (which {@link ProcessHandle.Info} replaces by the executable). */
    private static String commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return process.info().commandLine().orElse("");
        }
    }

    private static void stop(ProcessHandle process) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        process.destroy();
        try {
            exit.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.nestor.sandbox.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the platform, its output appended to a log file. Children run in their own session (so a
 * Ctrl-C on the terminal reaches only the platform, which stops them in order) and, through
 * {@code setpriv --pdeathsig}, get SIGTERM from the kernel if the platform dies in any way, {@code kill -9} included.
 *
 * <p>The parent-death signal fires when the <em>thread</em> that started the child ends, so start children from a
 * thread that lives as long as they should (the platform's main thread).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final String name;
    private final Process process;
    private final Path log;
    private final PidFile pids;

    private ServiceProcess(String name, Process process, Path log, PidFile pids) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pids = pids;
    }

    /**
     * Starts {@code command} with {@code environment} added to this process's environment.
     *
     * @param log the file the child's stdout and stderr are appended to
     * @param pids where the child's pid is recorded until it is stopped
     */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            PidFile pids) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        if (Files.isExecutable(SETPRIV)) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "TERM"));
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            pids.add(process.pid(), name);
            return new ServiceProcess(name, process, log, pids);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once it has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of its log. */
    public String logTail(int lines) {
        return tail(log, lines);
    }

    /** Asks it to stop (SIGTERM), waits up to {@code grace}, then kills it; returns once it is gone. */
    public void stop(Duration grace) {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            pids.remove(process.pid());
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}

package dev.nestor.sandbox.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processes the platform started, one {@code <pid> <name>} line each, so that {@code ./nestor down} can reap them
 * even when the platform itself was killed with SIGKILL and could not stop them.
 */
public final class PidFile {

    private final Path file;
    private final Map<Long, String> entries = new LinkedHashMap<>();

    public PidFile(Path file) {
        this.file = file;
    }

    public synchronized void add(long pid, String name) {
        entries.put(pid, name);
        write();
    }

    public synchronized void remove(long pid) {
        if (entries.remove(pid) != null) {
            write();
        }
    }

    /** Reads the lines of a pid file (what a previous run left), skipping malformed ones. */
    public static Map<Long, String> read(Path file) {
        Map<Long, String> entries = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+", 2);
                if (parts.length == 2 && parts[0].matches("\\d+")) {
                    entries.put(Long.parseLong(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return entries;
    }

    public synchronized void delete() {
        entries.clear();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private void write() {
        StringBuilder text = new StringBuilder();
        entries.forEach((pid, name) -> text.append(pid).append(' ').append(name).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

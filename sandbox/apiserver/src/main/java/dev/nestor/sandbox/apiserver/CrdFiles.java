package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Reads CRD YAML files (a file or a directory tree), cached per file for the life of the JVM. */
final class CrdFiles {
  private static final Map<String, List<JsonNode>> CACHE = new ConcurrentHashMap<>();

  private CrdFiles() {
  }

  /** Every {@code CustomResourceDefinition} document under the path, in file name order. */
  static List<JsonNode> load(Path fileOrDir) {
    List<JsonNode> out = new ArrayList<>();
    for (Path file : files(fileOrDir)) {
      out.addAll(loadFile(file));
    }
    return out;
  }

  private static List<Path> files(Path fileOrDir) {
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> s = Files.walk(fileOrDir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> loadFile(Path file) {
    try {
      String key = file.toAbsolutePath() + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + Files.size(file);
      return CACHE.computeIfAbsent(key, k -> parse(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> parse(Path file) {
    try {
      List<JsonNode> crds = new ArrayList<>();
      for (JsonNode doc : Json.parseYamlDocuments(Files.readString(file))) {
        if ("CustomResourceDefinition".equals(doc.path("kind").asText())) {
          crds.add(doc);
        }
      }
      return List.copyOf(crds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.nestor.sandbox.apiserver;

import java.util.List;

/**
 * One served group/version/resource: its names, scope, subresources, printer columns and (when known) schema.
 *
 * @param custom true for CRD-defined kinds: updates need a resourceVersion and strategic merge patch is refused
 */
record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    boolean hasStatus,
    Scale scale,
    List<PrinterColumn> printerColumns,
    StructuralSchema schema,
    boolean tracksGeneration,
    boolean custom) {

  /** The scale subresource mapping of a kind. */
  record Scale(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
  }

  /** An additional printer column ({@code additionalPrinterColumns}). */
  record PrinterColumn(String name, String type, String format, String jsonPath, int priority, String description) {
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** Key of the storage shared by all versions of one resource. */
  String storageKey() {
    return group + "/" + plural;
  }

  String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

}

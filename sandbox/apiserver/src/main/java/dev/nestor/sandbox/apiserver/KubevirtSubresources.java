package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * KubeVirt's volume hot-plug API as virt-api serves it: {@code PUT
 * /apis/subresources.kubevirt.io/v1/namespaces/<ns>/virtualmachines/<name>/addvolume} (and {@code removevolume}, also
 * on {@code virtualmachineinstances}). A VM's hot-plug lands in its spec and, when it runs, in its instance's spec
 * and {@code status.volumeStatus} (ready at once: there is no real hot-plug pod to wait for).
 */
final class KubevirtSubresources {

  static final String PREFIX = "/apis/subresources.kubevirt.io/v1/";
  private static final Operations.Options VIRT_API = new Operations.Options("virt-api", false, false);

  private final Operations ops;

  KubevirtSubresources(Operations ops) {
    this.ops = ops;
  }

  static boolean handles(String path) {
    return path.startsWith(PREFIX);
  }

  /** Handles a PUT on a hot-plug subresource; other paths and verbs under the group are 404 / 405. */
  void handle(String method, String path, byte[] body) {
    List<String> seg = new ArrayList<>(Arrays.asList(path.substring(PREFIX.length()).split("/")));
    seg.removeIf(String::isEmpty);
    if (seg.size() != 5 || !seg.get(0).equals("namespaces")
        || !List.of("virtualmachines", "virtualmachineinstances").contains(seg.get(2))
        || !List.of("addvolume", "removevolume").contains(seg.get(4))) {
      throw ApiException.notFoundPath();
    }
    if (!"PUT".equals(method)) {
      throw ApiException.methodNotAllowed();
    }
    String ns = seg.get(1);
    String name = seg.get(3);
    boolean vm = seg.get(2).equals("virtualmachines");
    JsonNode options = Json.parse(body);
    String volume = Json.text(options, "name");
    if (volume == null || volume.isEmpty()) {
      throw ApiException.badRequest("AddVolumeOptions/RemoveVolumeOptions require a name");
    }
    ResourceType vmType = ops.registry().find("kubevirt.io", "v1", "virtualmachines");
    ResourceType vmiType = ops.registry().find("kubevirt.io", "v1", "virtualmachineinstances");
    if (vmType == null || vmiType == null) {
      throw ApiException.notFoundPath();
    }
    synchronized (ops.store()) {
      ObjectNode instance = ops.store().get(vmiType, ns, name);
      if (seg.get(4).equals("addvolume")) {
        JsonNode disk = options.path("disk");
        JsonNode source = options.path("volumeSource");
        if (!vm) {
          throw ApiException.badRequest("hot-plugging into a VirtualMachineInstance directly is not supported here");
        }
        ObjectNode machine = ops.get(vmType, ns, name).deepCopy();
        ObjectNode vmSpec = templateSpec(machine);
        if (hasVolume(vmSpec, volume)) {
          throw new ApiException(409, "Conflict", "Unable to add volume [" + volume
              + "] because volume with that name already exists", null);
        }
        add(vmSpec, volume, disk, source);
        ops.update(vmType, ns, name, null, machine, VIRT_API);
        if (instance != null) {
          ObjectNode vmi = ops.get(vmiType, ns, name).deepCopy();
          add(child(vmi, "spec"), volume, disk, source);
          ObjectNode updated = ops.update(vmiType, ns, name, null, vmi, VIRT_API).deepCopy();
          ArrayNode statuses = child(updated, "status").withArray("volumeStatus");
          ObjectNode status = statuses.addObject();
          status.put("name", volume);
          status.put("target", "sd" + (char) ('a' + statuses.size()));
          status.put("phase", "Ready");
          status.put("reason", "VolumeReady");
          status.put("message", "Successfully attach hotplugged volume " + volume + " to VM");
          ObjectNode pod = status.putObject("hotplugVolume");
          pod.put("attachPodName", "hp-volume-" + UUID.randomUUID().toString().substring(0, 5));
          pod.put("attachPodUID", UUID.randomUUID().toString());
          ops.update(vmiType, ns, name, "status", updated, VIRT_API);
        }
        return;
      }
      boolean found = false;
      if (vm) {
        ObjectNode machine = ops.get(vmType, ns, name).deepCopy();
        if (remove(templateSpec(machine), volume)) {
          ops.update(vmType, ns, name, null, machine, VIRT_API);
          found = true;
        }
      }
      if (instance != null) {
        ObjectNode vmi = ops.get(vmiType, ns, name).deepCopy();
        boolean inSpec = remove(child(vmi, "spec"), volume);
        ObjectNode updated = inSpec ? ops.update(vmiType, ns, name, null, vmi, VIRT_API).deepCopy() : vmi;
        JsonNode statuses = Json.at(updated, "status", "volumeStatus");
        if (statuses instanceof ArrayNode list && removeNamed(list, volume)) {
          ops.update(vmiType, ns, name, "status", updated, VIRT_API);
          found = true;
        }
        found |= inSpec;
      } else if (!vm) {
        throw ApiException.notFound(vmiType, name);
      }
      if (!found) {
        throw ApiException.badRequest("Unable to remove volume [" + volume + "] because it does not exist");
      }
    }
  }

  private static ObjectNode child(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode existing ? existing : parent.putObject(field);
  }

  private static ObjectNode templateSpec(ObjectNode vm) {
    return child(child(child(vm, "spec"), "template"), "spec");
  }

  private static boolean hasVolume(ObjectNode spec, String name) {
    for (JsonNode v : spec.path("volumes")) {
      if (name.equals(v.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static void add(ObjectNode spec, String name, JsonNode disk, JsonNode source) {
    ObjectNode volume = spec.withArray("volumes").addObject();
    volume.put("name", name);
    if (source.isObject()) {
      source.fields().forEachRemaining(e -> volume.set(e.getKey(), e.getValue().deepCopy()));
    }
    ObjectNode devices = child(child(spec, "domain"), "devices");
    ObjectNode d = devices.withArray("disks").addObject();
    if (disk.isObject()) {
      d.setAll((ObjectNode) disk.deepCopy());
    }
    d.put("name", name);
  }

  private static boolean remove(ObjectNode spec, String name) {
    boolean removed = spec.path("volumes") instanceof ArrayNode volumes && removeNamed(volumes, name);
    JsonNode disks = Json.at(spec, "domain", "devices", "disks");
    if (disks instanceof ArrayNode list) {
      removed |= removeNamed(list, name);
    }
    return removed;
  }

  private static boolean removeNamed(ArrayNode list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.get(i).path("name").asText())) {
        list.remove(i);
        return true;
      }
    }
    return false;
  }
}

package dev.nestor.cluster.validate;

import dev.nestor.cluster.model.TenantSpec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a tenant onboarding request; pure, like {@link SpecValidator}. */
public final class TenantSpecValidator {
    /** DESIGN §3: tenant names are DNS labels of at most 30 characters, so {@code tenant-<t>} stays short. */
    static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?");
    /** A device-plugin resource name such as {@code nvidia.com/TU104GL_Tesla_T4}; never a comma (the list separator). */
    static final Pattern GPU_MODEL = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
            + "(/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    static final int MAX_ENTRIES = 50;
    /** A /24 and then some: address pools are larger than name lists. */
    static final int MAX_ADDRESSES = 512;
    static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    static final int MAX_NAME = 253;
    /** More clusters than anyone could want from one tenant namespace, and less than an int overflow. */
    static final int MAX_CLUSTERS = 1000;

    private TenantSpecValidator() {
    }

    /** Every rule the request breaks; empty when the tenant can be onboarded. */
    public static List<Violation> validate(String tenant, TenantSpec spec) {
        List<Violation> out = new ArrayList<>();
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            out.add(new Violation("tenant", "tenant-name",
                    "a tenant name is a DNS label of at most 30 characters (lower-case letters, digits, '-')"));
        }
        names(spec.dataStores(), "dataStores", SpecValidator.DNS_1123_SUBDOMAIN, out);
        if (spec.dataStores() != null && spec.dataStores().isEmpty()) {
            out.add(new Violation("dataStores", "data-stores-required",
                    "a tenant needs at least one data store for its control planes; leave the field out for the configured ones"));
        }
        names(spec.storageClasses(), "storageClasses", SpecValidator.DNS_1123_SUBDOMAIN, out);
        names(spec.gpuModels(), "gpuModels", GPU_MODEL, out);
        addresses(spec.loadBalancerAddresses(), out);
        if (spec.quota() != null) {
            Integer clusters = spec.quota().clusters();
            if (clusters == null || clusters < 0 || clusters > MAX_CLUSTERS) {
                out.add(new Violation("quota.clusters", "quota-range",
                        "quota.clusters is a number of clusters between 0 and " + MAX_CLUSTERS));
            }
        }
        return out;
    }

    /** IP literals only: csi-bridge compares a Service's {@code loadBalancerIP} with them as written. */
    private static void addresses(List<String> addresses, List<Violation> out) {
        if (addresses == null) {
            return;
        }
        if (addresses.size() > MAX_ADDRESSES) {
            out.add(new Violation("loadBalancerAddresses", "too-many-entries",
                    "loadBalancerAddresses has at most " + MAX_ADDRESSES + " entries"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            String at = "loadBalancerAddresses[" + i + "]";
            if (!ipLiteral(address)) {
                out.add(new Violation(at, "invalid-address", "'" + address + "' is not an IPv4 or IPv6 address"));
            } else if (!seen.add(address)) {
                out.add(new Violation(at, "duplicate", "'" + address + "' is listed twice"));
            }
        }
    }

    static boolean ipLiteral(String address) {
        if (address == null) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (!IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            // With a ':' in it the JDK parses the text as an IPv6 literal and never asks DNS.
            return InetAddress.getByName(address) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void names(List<String> names, String field, Pattern pattern, List<Violation> out) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_ENTRIES) {
            out.add(new Violation(field, "too-many-entries", field + " has at most " + MAX_ENTRIES + " entries"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String at = field + "[" + i + "]";
            if (name == null || name.length() > MAX_NAME || !pattern.matcher(name).matches()) {
                out.add(new Violation(at, "invalid-name", "'" + name + "' is not a valid name for " + field));
            } else if (!seen.add(name)) {
                out.add(new Violation(at, "duplicate", "'" + name + "' is listed twice"));
            }
        }
    }
}

package dev.nestor.cluster.validate;

/** An IPv4 range, enough to check the network rules of a spec. */
record Cidr(long base, int prefix) {

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String[] octets = text.substring(0, slash).split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        long address = 0;
        try {
            for (String o : octets) {
                if (o.isEmpty() || o.length() > 3) {
                    return null;
                }
                int v = Integer.parseInt(o);
                if (v < 0 || v > 255) {
                    return null;
                }
                address = (address << 8) | v;
            }
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                return null;
            }
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            if ((address & mask) != address) {
                return null; // host bits set: 10.0.0.1/16 is not a network
            }
            return new Cidr(address, prefix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean overlaps(Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        long mask = shorter == 0 ? 0 : (0xFFFFFFFFL << (32 - shorter)) & 0xFFFFFFFFL;
        return (base & mask) == (other.base & mask);
    }
}

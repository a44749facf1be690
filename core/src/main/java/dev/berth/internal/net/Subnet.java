package dev.berth.internal.net;

/**
 * An IPv4 network in CIDR form, like 10.89.3.0/24.
 *
 * @param base the network address as an unsigned 32-bit number (host bits zero)
 * @param prefix the prefix length, 0 to 32
 */
public record Subnet(long base, int prefix) {
  public Subnet {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length " + prefix + " is not within 0..32");
    base = base & mask(prefix);
  }

  /** @throws IllegalArgumentException unless s is like "10.89.3.0/24" (a plain address means /32) */
  public static Subnet parse(String s) {
    int slash = s.indexOf('/');
    int prefix = slash < 0 ? 32 : parsePrefix(s, s.substring(slash + 1));
    return new Subnet(parseAddress(slash < 0 ? s : s.substring(0, slash)), prefix);
  }

  private static int parsePrefix(String whole, String p) {
    try {
      return Integer.parseInt(p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + whole + "\" is not an IPv4 network like 10.89.0.0/24");
    }
  }

  /** @return the address as an unsigned 32-bit number */
  public static long parseAddress(String a) {
    String[] parts = a.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("\"" + a + "\" is not an IPv4 address");
    long v = 0;
    for (String part : parts) {
      if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
        throw new IllegalArgumentException("\"" + a + "\" is not an IPv4 address");
      }
      v = v << 8 | Integer.parseInt(part);
    }
    return v;
  }

  static String format(long a) {
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  /** @return whether the two share any address */
  public boolean overlaps(Subnet o) {
    int p = Math.min(prefix, o.prefix);
    return (base & mask(p)) == (o.base & mask(p));
  }

  /** @return the n-th address of this network (1 is the first host address) as text */
  public String address(int n) {
    if (n < 0 || n >= 1L << (32 - prefix)) throw new IllegalArgumentException("address " + n + " is outside " + this);
    return format(base + n);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}

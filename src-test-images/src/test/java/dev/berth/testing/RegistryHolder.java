package dev.berth.testing;

/** Run in a child JVM by {@link LeakTest}: starts a registry, prints its pid and dir, then waits to be killed. */
public final class RegistryHolder {
  private RegistryHolder() {}

  public static void main(String[] args) throws InterruptedException {
    TestRegistry registry = TestRegistry.start(TestRegistry.Variant.valueOf(args[0]));
    System.out.println(registry.pid() + " " + registry.directory());
    System.out.flush();
    Thread.sleep(60_000);
  }
}

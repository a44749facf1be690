package dev.berth.internal.store;

import java.nio.file.Path;

/**
 * A JVM that opens the store at args[0], stages a file, prints {@code OPEN} and ends normally
 * without closing the store, as a program using the default engine does.
 */
public final class OpenStoreMain {
  private OpenStoreMain() {}

  public static void main(String[] args) {
    Store store = Store.open(Path.of(args[0]));
    store.newTempFile("left-");
    System.out.println("OPEN");
  }
}

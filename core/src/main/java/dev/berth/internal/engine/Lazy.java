package dev.berth.internal.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use, once, then kept. The engine makes its expensive parts this way (the
 * registry client with its TLS setup, the extracted helper): a JVM that only lists containers
 * or images, as a {@code berth ps} does, never pays for them.
 */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<? extends T> make;
  private volatile T value;

  private Lazy(Supplier<? extends T> make) {
    this.make = make;
  }

  static <T> Lazy<T> of(Supplier<? extends T> make) {
    return new Lazy<>(Objects.requireNonNull(make));
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = Objects.requireNonNull(make.get(), "a lazy value was made null");
          value = v;
        }
      }
    }
    return v;
  }
}

/**
 * The test registry harness: the real distribution registry started by the tests themselves.
 *
 * <ul>
 *   <li>{@link dev.berth.testing.TestRegistry}: {@code TestRegistry.start(Variant.TLS)} or
 *       {@code TestRegistry.shared(Variant.PLAIN)}; PLAIN, TLS, BASIC and TOKEN variants.
 *   <li>{@link dev.berth.testing.TokenServer} with {@link dev.berth.testing.AccessPolicy}: the
 *       Docker token protocol in-process, behind every TOKEN registry.
 *   <li>{@link dev.berth.testing.FaultProxy}: corrupts, truncates or fails responses of an HTTP
 *       registry and records every request.
 * </ul>
 *
 * <p>Needs the Debian packages docker-registry, openssl and apache2-utils (htpasswd); tests
 * should skip with {@code assumeTrue(TestRegistry.available(), …)} where they are missing.
 */
package dev.berth.testing;

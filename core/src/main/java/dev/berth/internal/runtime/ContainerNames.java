package dev.berth.internal.runtime;

import dev.berth.internal.util.Urandom;
import java.util.List;
import java.util.function.Predicate;

/**
 * Docker-style generated names, {@code adjective_surname}: a word for a mood and the surname of
 * a scientist or engineer. Our own word lists; the form is Docker's, so names read familiarly.
 */
public final class ContainerNames {

  private static final List<String> ADJECTIVES = List.of(
      "agile", "amazing", "bold", "brave", "bright", "busy", "calm", "careful", "charming",
      "cheerful", "clever", "cool", "curious", "daring", "dazzling", "eager", "elegant", "epic",
      "fervent", "festive", "fond", "friendly", "funny", "gallant", "gentle", "gifted", "happy",
      "hardy", "honest", "hopeful", "humble", "inspiring", "jolly", "keen", "kind", "lively",
      "loving", "lucid", "merry", "modest", "nice", "nimble", "noble", "patient", "peaceful",
      "placid", "plucky", "polite", "proud", "quick", "quiet", "relaxed", "serene", "sharp",
      "silly", "sleepy", "smart", "stoic", "sunny", "swift", "tender", "thirsty", "trusting",
      "upbeat", "vibrant", "vigilant", "warm", "wise", "witty", "youthful", "zealous", "zen");

  private static final List<String> SURNAMES = List.of(
      "agnesi", "archimedes", "babbage", "banach", "bardeen", "bartik", "bell", "bohr", "boole",
      "borg", "bose", "cannon", "carson", "cerf", "chandrasekhar", "curie", "darwin", "dijkstra",
      "einstein", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin", "galileo",
      "gauss", "germain", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hertz",
      "hodgkin", "hopper", "hypatia", "jackson", "johnson", "kepler", "knuth", "kowalevski",
      "lamarr", "lamport", "leakey", "lovelace", "maxwell", "mayer", "mcclintock", "meitner",
      "mendel", "minsky", "mirzakhani", "morse", "newton", "nobel", "noether", "pascal",
      "pasteur", "planck", "poincare", "ramanujan", "ritchie", "sammet", "shannon", "sinoussi",
      "thompson", "torvalds", "turing", "volta", "wiles", "wing", "wozniak", "wright", "yalow");

  private ContainerNames() {}

  /** A name for which {@code taken} is false. */
  public static String generate(Predicate<String> taken) {
    for (int attempt = 0; ; attempt++) {
      String name = ADJECTIVES.get(Urandom.nextInt(ADJECTIVES.size())) + "_"
          + SURNAMES.get(Urandom.nextInt(SURNAMES.size()));
      if (attempt > 10) {
        name += Urandom.nextInt(10); // as Docker does after collisions
      }
      if (!taken.test(name)) {
        return name;
      }
    }
  }

  /** Docker's rule for a chosen name: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}. */
  public static boolean isValid(String name) {
    return name != null && name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  }

  /** A new 64-hex container id. */
  public static String newId() {
    byte[] b = new byte[32];
    Urandom.nextBytes(b);
    StringBuilder sb = new StringBuilder(64);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}

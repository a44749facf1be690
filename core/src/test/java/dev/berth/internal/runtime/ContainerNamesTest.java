package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerNamesTest {

  @Test
  void generate_givesAdjectiveUnderscoreSurname() {
    assertThat(ContainerNames.generate(n -> false)).matches("[a-z]+_[a-z]+");
  }

  @Test
  void generate_neverReturnsATakenName() {
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      String name = ContainerNames.generate(taken::contains);
      assertThat(taken.add(name)).as("duplicate %s", name).isTrue();
    }
  }

  @Test
  void newId_is64LowerHex() {
    assertThat(ContainerNames.newId()).matches("[0-9a-f]{64}");
    assertThat(ContainerNames.newId()).isNotEqualTo(ContainerNames.newId());
  }

  @Test
  void isValid_followsDockersNameRule() {
    assertThat(ContainerNames.isValid("web-1")).isTrue();
    assertThat(ContainerNames.isValid("a")).isFalse();
    assertThat(ContainerNames.isValid("-x")).isFalse();
    assertThat(ContainerNames.isValid("has space")).isFalse();
  }
}

package dev.berth.internal.cgroup;

import static dev.berth.internal.cgroup.CgroupFixture.assumeCgroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Removing a cgroup decides on EBUSY by errno, not by the words of a message in the user's language. */
class CgroupRemoveLocaleTest {

  @Test
  void remove_whileItsLastProcessIsKilled_inAGermanLocale_retriesUntilItIsGone() throws Exception {
    CgroupHost host = assumeCgroups(Function.identity());
    assumeTrue(ChildJvm.hasGermanMessages(), "libc's German messages are not installed (libc-l10n)");
    String id = CgroupFixture.newId();
    try {
      Process child = ChildJvm.startInGerman(CgroupRemoveInLocaleMain.class, id);
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).as(out).contains("removed=true");
    } finally {
      ContainerCgroup.open(host, id).ifPresent(ContainerCgroup::destroy); // what a failed child left
    }
  }
}

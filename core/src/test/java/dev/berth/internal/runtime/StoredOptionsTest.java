package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Mount;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.internal.util.Json;
import org.junit.jupiter.api.Test;

class StoredOptionsTest {

  @Test
  void everyOption_roundTripsThroughJson() throws Exception {
    RunOptions all = RunOptions.builder()
        .entrypoint("/bin/sh", "-c").command("echo", "hi").env("B", "2").env("A", "1")
        .workingDir("/srv").user("1000:1000").name("all-options").hostname("host-1")
        .label("k", "v").detach(true).autoRemove(true).tty(true).stdinOpen(true)
        .removeWithJvm(true).publish(new PortMapping("0.0.0.0", 8080, 80, "udp")).publish(5432)
        .publishAll(true).network("appnet").networkAlias("db").networkAlias("db-1")
        .mount(new Mount(Mount.Type.BIND, "/nonexistent/on/this/host", "/data", true, 0, 0))
        .volume("named-vol", "/named").volume("/anonymous").tmpfs("/scratch", 1 << 20, 01777)
        .memory(64L << 20).memorySwap(-1).cpus(1.5).cpuShares(512).pidsLimit(100)
        .limitsBestEffort(true).capAdd("NET_ADMIN").capDrop("NET_RAW").privileged(true)
        .readOnlyRootfs(true).seccomp("/etc/berth/profile.json").noNewPrivileges(false)
        .build();

    byte[] json = Json.MAPPER.writeValueAsBytes(StoredOptions.from(all));
    RunOptions back = Json.MAPPER.readValue(json, StoredOptions.class).toRunOptions();

    assertThat(back).isEqualTo(all);
    assertThat(back.process().env().keySet()).containsExactly("B", "A");
    assertThat(back.toString()).isEqualTo(all.toString());
  }

  @Test
  void defaults_roundTrip() throws Exception {
    RunOptions none = RunOptions.builder().build();
    byte[] json = Json.MAPPER.writeValueAsBytes(StoredOptions.from(none));
    assertThat(Json.MAPPER.readValue(json, StoredOptions.class).toRunOptions()).isEqualTo(none);
  }
}

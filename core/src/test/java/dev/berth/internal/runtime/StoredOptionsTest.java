package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Mount;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.internal.util.Json;
import dev.berth.internal.util.RecordJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredOptionsTest {

  private static final RunOptions ALL = RunOptions.builder()
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

  @Test
  void everyOption_roundTripsThroughJson() throws Exception {
    RunOptions all = ALL;
    byte[] json = RecordJson.write(StoredOptions.from(all), false);
    RunOptions back = RecordJson.read(json, StoredOptions.class).toRunOptions();

    assertThat(back).isEqualTo(all);
    assertThat(back.process().env().keySet()).containsExactly("B", "A");
    assertThat(back.toString()).isEqualTo(all.toString());
  }

  @Test
  void defaults_roundTrip() throws Exception {
    RunOptions none = RunOptions.builder().build();
    byte[] json = RecordJson.write(StoredOptions.from(none), false);
    assertThat(RecordJson.read(json, StoredOptions.class).toRunOptions()).isEqualTo(none);
  }

  /** Berths before 0.1's streaming records wrote container.json with the data binding, and may read it. */
  @Test
  void containerRecord_isWrittenAndReadAsTheDataBindingDoes() throws Exception {
    ContainerRecord full = record(StoredOptions.from(ALL),
        List.of(new ContainerRecord.NetworkRef("appnet", List.of("db", "db-1"))));
    ContainerRecord old = record(null, null); // a record of a Berth that kept neither

    for (ContainerRecord r : List.of(full, old)) {
      byte[] written = RecordJson.write(r, true);
      assertThat(new String(written, StandardCharsets.UTF_8))
          .isEqualTo(Json.INDENTED.writeValueAsString(r));
      assertThat(RecordJson.read(written, ContainerRecord.class)).isEqualTo(r);
      assertThat(Json.INDENTED.readValue(written, ContainerRecord.class)).isEqualTo(r);
    }
  }

  @Test
  void containerRecord_withFieldsOfALaterBerthAndWithoutSomeOfThisOnes_reads() throws Exception {
    String json = """
        {"id": "%s", "name": "n", "image": "busybox", "imageId": "sha256:%s",
         "created": "2026-12-01T10:00:00Z", "argv": ["true"], "env": [], "layers": [],
         "tty": true, "later": {"nested": [1, 2.5, null, "x"]}, "options": {"detach": true, "also": 1}}
        """.formatted("a".repeat(64), "b".repeat(64));

    ContainerRecord r = RecordJson.read(json.getBytes(StandardCharsets.UTF_8), ContainerRecord.class);

    assertThat(r.tty()).isTrue();
    assertThat(r.stdinOpen()).isFalse();
    assertThat(r.workingDir()).isNull();
    assertThat(r.labels()).isEmpty();
    assertThat(r.runOptions().detach()).isTrue();
    assertThat(r).isEqualTo(Json.INDENTED.readValue(json, ContainerRecord.class));
  }

  private static ContainerRecord record(StoredOptions options, List<ContainerRecord.NetworkRef> networks) {
    return new ContainerRecord("a".repeat(64), "all-options", "busybox", "sha256:" + "b".repeat(64),
        "2026-12-01T10:00:00Z", List.of("sh", "-c", "echo \"hi\"\n"), List.of("A=1", "B=2"), "/srv",
        "1000:1000", "host-1", Map.of("k", "v"), List.of("sha256:" + "c".repeat(64)), true, true, true,
        "boot", "appnet", List.of(new ContainerRecord.Mount("tmpfs", null, "/scratch", false, "size=1m"),
            new ContainerRecord.Mount("volume", "named-vol", "/named", true, null)),
        "FULL_RANGE", "OVERLAY", options, networks);
  }
}

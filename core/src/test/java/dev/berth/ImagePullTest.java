package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.RemoteDiffers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePullTest {
  @TempDir Path home;

  @Test
  @RemoteDiffers(RemoteDiffers.SHARED_STORE)
  void pull_busyboxFromARegistry_storesItWithItsConfig() {
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull(reg.host() + "/busybox");
      ImageInfo info = image.inspect();
      assertThat(info.cmd()).containsExactly("sh");
      assertThat(info.repoTags()).containsExactly(reg.host() + "/busybox:latest");
      assertThat(info.layers()).hasSize(1);
      assertThat(berth.images()).hasSize(1);
    }
  }

  @Test
  void pull_shortName_goesThroughTheDockerIoMirror() {
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      assertThat(image.inspect().repoTags()).containsExactly("docker.io/library/busybox:latest");
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.PULL_PROGRESS)
  void pull_twice_secondOnlyChecksTheManifest() {
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg)) {
      berth.pull("busybox");
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      berth.pull("busybox", events::add);
      assertThat(events).extracting(PullProgress::status)
          .doesNotContain(PullProgress.Status.DOWNLOADING)
          .contains(PullProgress.Status.ALREADY_EXISTS);
    }
  }

  @Test
  void pull_unknownTag_throwsImageNotFoundNamingTheReference() {
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg)) {
      assertThatThrownBy(() -> berth.pull(reg.host() + "/busybox:nope"))
          .isInstanceOf(ImageNotFoundException.class)
          .hasMessageContaining(reg.host() + "/busybox:nope");
    }
  }

  @Test
  void run_echo_printsAndExitsZero() throws Exception {
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg);
        Container c = berth.pull("busybox").run("echo", "hello from berth")) {
      String out = new String(c.getInputStream().readAllBytes());
      assertThat(c.waitFor()).isZero();
      assertThat(out).isEqualTo("hello from berth\n");
      assertThat(c.logs()).isEqualTo("hello from berth\n");
    }
  }
}

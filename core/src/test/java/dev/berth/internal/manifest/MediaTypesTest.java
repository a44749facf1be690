package dev.berth.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      application/vnd.oci.image.layer.v1.tar,                                NONE
      application/vnd.oci.image.layer.v1.tar+gzip,                           GZIP
      application/vnd.oci.image.layer.v1.tar+zstd,                           ZSTD
      application/vnd.oci.image.layer.nondistributable.v1.tar,               NONE
      application/vnd.oci.image.layer.nondistributable.v1.tar+gzip,          GZIP
      application/vnd.oci.image.layer.nondistributable.v1.tar+zstd,          ZSTD
      application/vnd.docker.image.rootfs.diff.tar,                          NONE
      application/vnd.docker.image.rootfs.diff.tar.gzip,                     GZIP
      application/vnd.docker.image.rootfs.foreign.diff.tar.gzip,             GZIP
      application/vnd.docker.image.rootfs.diff.tar.zstd,                     ZSTD
      """)
  void layerCompression_knownLayerType_isTheTypesCompression(String mediaType, Compression c) {
    assertThat(MediaTypes.layerCompression(mediaType)).isEqualTo(c);
  }

  @Test
  void gzipForm_ofEachPlainLayerType_isItsGzipType_andOfAnyOtherTypeNone() {
    for (String type : java.util.List.of(MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE,
        MediaTypes.DOCKER_LAYER)) {
      String gzip = MediaTypes.gzipForm(type);
      assertThat(MediaTypes.layerCompression(gzip)).as(type).isEqualTo(Compression.GZIP);
      assertThat(gzip).as(type).startsWith(type);
    }
    assertThat(MediaTypes.gzipForm(MediaTypes.OCI_LAYER_GZIP)).isNull();
    assertThat(MediaTypes.gzipForm(MediaTypes.OCI_LAYER_ZSTD)).isNull();
    assertThat(MediaTypes.gzipForm(MediaTypes.OCI_CONFIG)).isNull();
  }

  @Test
  void layerCompression_unknownType_throwsNamingItAndTheSupportedOnes() {
    assertThatThrownBy(() -> MediaTypes.layerCompression("application/vnd.in-toto+json"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("unsupported layer media type 'application/vnd.in-toto+json'")
        .hasMessageContaining(MediaTypes.OCI_LAYER_GZIP);
  }

  @Test
  void acceptManifests_asksForEveryManifestKind() {
    assertThat(MediaTypes.ACCEPT_MANIFESTS.split(", ")).containsExactlyInAnyOrder(
        MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
        MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
  }

  @Test
  void isIndex_trueForOciIndexAndDockerListOnly() {
    assertThat(MediaTypes.isIndex(MediaTypes.OCI_INDEX)).isTrue();
    assertThat(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
    assertThat(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST)).isFalse();
  }
}

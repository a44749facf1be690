package dev.berth.internal.manifest;

import static dev.berth.internal.manifest.Documents.bytes;
import static dev.berth.internal.manifest.Documents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.Digest;
import dev.berth.RegistryException;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final String HEX_A = "a".repeat(64);
  private static final String MINIMAL_MANIFEST = """
      {"schemaVersion": 2,
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                  "digest": "sha256:%s", "size": 2},
       "layers": []}
      """.formatted(HEX_A);

  private static Descriptor descriptor(String mediaType, String hex, long size) {
    return Descriptor.of(mediaType, Digest.sha256(hex), size);
  }

  @Test
  void parse_ociImageManifestExample_readsEveryField() {
    ImageManifest m = (ImageManifest) Manifests.parse(bytes("oci-image-manifest.json"), null);

    assertThat(m.schemaVersion()).isEqualTo(2);
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(m.config()).isEqualTo(descriptor(MediaTypes.OCI_CONFIG,
        "b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7", 7023));
    assertThat(m.layers()).containsExactly(
        descriptor(MediaTypes.OCI_LAYER_GZIP,
            "9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0", 32654),
        descriptor(MediaTypes.OCI_LAYER_GZIP,
            "3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b", 16724),
        descriptor(MediaTypes.OCI_LAYER_GZIP,
            "ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736", 73109));
    assertThat(m.subject()).isEqualTo(descriptor(MediaTypes.OCI_MANIFEST,
        "5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270", 7682));
    assertThat(m.annotations())
        .containsExactly(Map.entry("com.example.key1", "value1"),
            Map.entry("com.example.key2", "value2"));
    assertThat(m.artifactType()).isNull();
  }

  @Test
  void parse_dockerManifestV2Example_readsEveryField() {
    ImageManifest m = (ImageManifest) Manifests.parse(bytes("docker-manifest-v2.json"),
        MediaTypes.DOCKER_MANIFEST);

    assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(m.config()).isEqualTo(descriptor(MediaTypes.DOCKER_CONFIG,
        "b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7", 7023));
    assertThat(m.layers()).extracting(Descriptor::mediaType, d -> d.digest().hex(),
            Descriptor::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MediaTypes.DOCKER_LAYER_GZIP,
                "e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f", 32654L),
            org.assertj.core.groups.Tuple.tuple(MediaTypes.DOCKER_LAYER_GZIP,
                "3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b", 16724L),
            org.assertj.core.groups.Tuple.tuple(MediaTypes.DOCKER_LAYER_GZIP,
                "ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736", 73109L));
    assertThat(m.subject()).isNull();
    assertThat(m.annotations()).isEmpty();
  }

  @Test
  void imageId_isTheConfigDigest() {
    ImageManifest m = (ImageManifest) Manifests.parse(bytes("docker-manifest-v2.json"), null);
    assertThat(m.imageId()).isEqualTo(
        Digest.sha256("b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"));
  }

  @Test
  void parse_ociIndexExample_readsEveryField() {
    ImageIndex index = (ImageIndex) Manifests.parse(bytes("oci-image-index.json"), null);

    assertThat(index.schemaVersion()).isEqualTo(2);
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).containsExactly(
        new Descriptor(MediaTypes.OCI_MANIFEST,
            Digest.sha256("e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"),
            7143, null, null, null,
            new PlatformSpec("ppc64le", "linux", null, null, null, null), null),
        new Descriptor(MediaTypes.OCI_MANIFEST,
            Digest.sha256("5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"),
            7682, null, null, null,
            new PlatformSpec("amd64", "linux", null, null, null, null), null));
    assertThat(index.annotations()).containsEntry("com.example.key1", "value1")
        .containsEntry("com.example.key2", "value2").hasSize(2);
  }

  @Test
  void parse_dockerManifestListExample_readsPlatformFeatures() {
    ImageIndex list = (ImageIndex) Manifests.parse(bytes("docker-manifest-list.json"), null);

    assertThat(list.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(list.manifests()).extracting(Descriptor::mediaType)
        .containsOnly(MediaTypes.DOCKER_MANIFEST);
    assertThat(list.manifests().get(1).platform())
        .isEqualTo(new PlatformSpec("amd64", "linux", null, null, null, List.of("sse4")));
  }

  @Test
  void parse_indexWithNestedIndexExample_readsEntryWithoutPlatform() {
    ImageIndex index = (ImageIndex) Manifests.parse(bytes("oci-image-index-nested.json"), null);

    Descriptor nested = index.manifests().get(1);
    assertThat(nested.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(nested.platform()).isNull();
  }

  @Test
  void parse_dockerHubIndexWithAttestations_readsOsVersionlessPlatformsAndAnnotations() {
    ImageIndex index = (ImageIndex) Manifests.parse(bytes("dockerhub-postgres-index.json"),
        MediaTypes.OCI_INDEX);

    assertThat(index.manifests()).hasSize(16);
    Descriptor attestation = index.manifests().get(1);
    assertThat(attestation.platform().os()).isEqualTo("unknown");
    assertThat(attestation.annotations())
        .containsEntry("vnd.docker.reference.type", "attestation-manifest");
  }

  @Test
  void bind_descriptorWithUrlsExample_readsUrls() {
    Descriptor d = Manifests.bind(bytes("oci-descriptor-urls.json"), Descriptor.class, "test");
    assertThat(d.urls()).containsExactly("https://example.com/example-manifest");
    assertThat(d.size()).isEqualTo(7682);
  }

  @Test
  void bind_descriptorWithArtifactTypeExample_readsArtifactType() {
    Descriptor d =
        Manifests.bind(bytes("oci-descriptor-artifact-type.json"), Descriptor.class, "test");
    assertThat(d.artifactType()).isEqualTo("application/vnd.example.sbom.v1");
  }

  @Test
  void parseConfig_ociConfigExample_readsEveryField() {
    ImageConfig c = Manifests.parseConfig(bytes("oci-image-config.json"), "config");

    assertThat(c.created()).isEqualTo("2015-10-31T22:22:56.015925234Z");
    assertThat(c.author()).isEqualTo("Alyssa P. Hacker <alyspdev@example.com>");
    assertThat(c.platform()).isEqualTo(dev.berth.Platform.parse("linux/amd64"));
    ImageConfig.ContainerConfig run = c.config();
    assertThat(run.user()).isEqualTo("alice");
    assertThat(run.exposedPorts()).containsExactly("8080/tcp");
    assertThat(run.env()).containsExactly(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "FOO=oci_is_a", "BAR=well_written_spec");
    assertThat(run.entrypoint()).containsExactly("/bin/my-app-binary");
    assertThat(run.cmd()).containsExactly("--foreground", "--config", "/etc/my-app.d/default.cfg");
    assertThat(run.volumes()).containsExactly("/var/job-result-data", "/var/log/my-app-logs");
    assertThat(run.workingDir()).isEqualTo("/home/alice");
    assertThat(run.labels()).containsEntry("com.example.project.git.url",
        "https://example.com/project.git").hasSize(2);
    assertThat(c.rootfs().type()).isEqualTo("layers");
    assertThat(c.diffIds()).containsExactly(
        Digest.sha256("c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1"),
        Digest.sha256("5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"));
    assertThat(c.history()).extracting(ImageConfig.History::emptyLayer)
        .containsExactly(false, true, false);
    assertThat(c.history().get(2)).isEqualTo(new ImageConfig.History(
        "2015-10-31T22:22:56.329850019Z", "/bin/sh -c apk add curl", null, null, false));
  }

  private static final String DOCKER_CONFIG = """
      {"architecture": "arm64", "variant": "v8", "os": "linux",
       "config": {"StopSignal": "SIGQUIT", "Shell": ["/bin/bash", "-c"], "ArgsEscaped": true,
         "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"], "Interval": 30000000000,
           "Timeout": 5000000000, "StartPeriod": 1, "StartInterval": 2, "Retries": 3},
         "OnBuild": ["RUN true"]},
       "rootfs": {"type": "layers", "diff_ids": []}}
      """;

  @Test
  void parseConfig_dockerFields_readsHealthcheckShellStopSignal() {
    ImageConfig c = Manifests.parseConfig(utf8(DOCKER_CONFIG), "config");

    assertThat(c.platform()).isEqualTo(dev.berth.Platform.parse("linux/arm64/v8"));
    assertThat(c.config().stopSignal()).isEqualTo("SIGQUIT");
    assertThat(c.config().shell()).containsExactly("/bin/bash", "-c");
    assertThat(c.config().argsEscaped()).isTrue();
    assertThat(c.config().onBuild()).containsExactly("RUN true");
    assertThat(c.config().healthcheck()).isEqualTo(new ImageConfig.HealthCheck(
        List.of("CMD-SHELL", "curl -f localhost"), 30_000_000_000L, 5_000_000_000L, 1, 2, 3));
  }

  @Test
  void parseConfig_theStreamingReaderReadsWhatTheDataBindingReads() throws IOException {
    List<byte[]> configs = List.of(bytes("oci-image-config.json"), utf8(DOCKER_CONFIG),
        utf8("{\"config\": {\"Volumes\": null}}"), utf8("{\"os\": \"linux\", \"later\": [1, {}]}"));
    for (byte[] config : configs) {
      assertThat(RecordJson.read(config, ImageConfig.class))
          .isEqualTo(Manifests.bind(config, ImageConfig.class, "config"))
          .isEqualTo(Manifests.parseConfig(config, "config"));
    }
  }

  @Test
  void parseConfig_aValueOnlyTheDataBindingCoerces_isReadAsTheBindingReadsIt() {
    byte[] config = utf8("{\"config\": {\"User\": 1000, \"Cmd\": [\"sh\"]}}");
    assertThatThrownBy(() -> RecordJson.read(config, ImageConfig.class))
        .isInstanceOf(RecordJson.WrongType.class)
        .hasMessageContaining("expected a string for config.User but found a number");

    ImageConfig c = Manifests.parseConfig(config, "config");

    assertThat(c.config().user()).isEqualTo("1000");
    assertThat(c.config().cmd()).containsExactly("sh");
  }

  @Test
  void parseConfig_nullVolumes_givesEmptySet() {
    ImageConfig c = Manifests.parseConfig(utf8("{\"config\": {\"Volumes\": null}}"), "config");
    assertThat(c.config().volumes()).isEmpty();
  }

  @Test
  void toJson_dockerConfigFields_writesTheSameDocument() throws IOException {
    byte[] written = Manifests.toJson(Manifests.parseConfig(utf8(DOCKER_CONFIG), "config"));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(written)).isEqualTo(json.readTree(DOCKER_CONFIG));
  }

  @Test
  void toJson_manifestWithoutLayers_writesEmptyLayersAsTheSpecRequires() throws IOException {
    byte[] written = Manifests.toJson(Manifests.parse(utf8(MINIMAL_MANIFEST), null));
    assertThat(new ObjectMapper().readTree(written).get("layers").isEmpty()).isTrue();
  }

  @Test
  void toJson_indexWithoutManifests_writesEmptyManifests() throws IOException {
    ImageIndex empty = new ImageIndex(2, MediaTypes.OCI_INDEX, null, null, null, null);
    assertThat(new ObjectMapper().readTree(Manifests.toJson(empty)).has("manifests")).isTrue();
  }

  @Test
  void parse_indexSchemaVersion1WithManifests_throwsAsSchema1() {
    String doc = "{\"schemaVersion\": 1, \"manifests\": []}";
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .hasMessageContaining("schema 1 manifests are deprecated");
  }

  @Test
  void parse_indexSchemaVersion3_throwsNamingIt() {
    String doc = "{\"schemaVersion\": 3, \"manifests\": []}";
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .hasMessageContaining("image index schemaVersion must be 2, got 3");
  }

  @Test
  void parseConfig_withoutConfigOrRootfs_givesEmptyValues() {
    ImageConfig c = Manifests.parseConfig(utf8("{\"os\": \"linux\"}"), "config");
    assertThat(c.config().cmd()).isEmpty();
    assertThat(c.diffIds()).isEmpty();
  }

  @Test
  void toJson_dockerManifestExample_writesTheSameDocument() throws IOException {
    byte[] original = bytes("docker-manifest-v2.json");
    byte[] written = Manifests.toJson(Manifests.parse(original, null));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(written)).isEqualTo(json.readTree(original));
  }

  @Test
  void toJson_ociConfigExample_writesTheSameDocument() throws IOException {
    byte[] original = bytes("oci-image-config.json");
    byte[] written = Manifests.toJson(Manifests.parseConfig(original, "config"));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(written)).isEqualTo(json.readTree(original));
  }

  @Test
  void parse_noMediaTypeInBody_usesContentType() {
    String index = "{\"schemaVersion\": 2, \"manifests\": []}";
    assertThat(Manifests.parse(utf8(index), MediaTypes.DOCKER_MANIFEST_LIST))
        .isInstanceOf(ImageIndex.class);
  }

  @Test
  void parse_contentTypeWithParameters_ignoresThem() {
    String index = "{\"schemaVersion\": 2, \"manifests\": []}";
    assertThat(Manifests.parse(utf8(index), MediaTypes.OCI_INDEX + "; charset=utf-8"))
        .isInstanceOf(ImageIndex.class);
  }

  @Test
  void parse_noMediaTypeAndGenericContentType_decidesByManifestsField() {
    String index = "{\"schemaVersion\": 2, \"manifests\": []}";
    assertThat(Manifests.parse(utf8(index), "application/json")).isInstanceOf(ImageIndex.class);
  }

  @Test
  void parse_noMediaTypeAndNoContentType_decidesByLayersField() {
    assertThat(Manifests.parse(utf8(MINIMAL_MANIFEST), null)).isInstanceOf(ImageManifest.class);
  }

  @Test
  void parse_bodyMediaType_winsOverContentType() {
    assertThat(Manifests.parse(bytes("oci-image-index.json"), MediaTypes.OCI_MANIFEST))
        .isInstanceOf(ImageIndex.class);
  }

  @Test
  void parse_unknownMediaTypeInBody_throwsNamingItAndListingSupported() {
    String doc = "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.example+json\"}";
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null, "manifest of x"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("manifest of x declares media type 'application/vnd.example+json'")
        .hasMessageContaining("supported: " + String.join(", ", MediaTypes.MANIFEST_TYPES));
  }

  @Test
  void parse_configMediaTypeAsContentType_throwsNamingIt() {
    assertThatThrownBy(() -> Manifests.parse(utf8(MINIMAL_MANIFEST), MediaTypes.OCI_CONFIG))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("was sent as media type '" + MediaTypes.OCI_CONFIG + "'");
  }

  @Test
  void parse_schema1Example_throwsSayingPushAgain() {
    assertThatThrownBy(() -> Manifests.parse(bytes("docker-manifest-v1-signed.json"), null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("schema 1 manifests are deprecated")
        .hasMessageContaining("push the image again with a current client");
  }

  @Test
  void parse_schema1ContentType_throwsSayingPushAgain() {
    assertThatThrownBy(() -> Manifests.parse(utf8("{}"), MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST))
        .hasMessageContaining("schema 1 manifests are deprecated");
  }

  @Test
  void parse_malformedJson_throwsNamingDocumentLineAndColumn() {
    String broken = "{\n  \"schemaVersion\": 2,\n  \"layers\": [\n}";
    assertThatThrownBy(() -> Manifests.parse(utf8(broken), null, "manifest of node:1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("malformed manifest of node:1: ")
        .hasMessageContaining("(at line 4, column 1");
  }

  @Test
  void parse_emptyBody_throwsSayingItIsEmpty() {
    assertThatThrownBy(() -> Manifests.parse(new byte[0], MediaTypes.OCI_MANIFEST))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("manifest is empty");
  }

  @Test
  void parse_jsonArray_throwsSayingItIsNotAnObject() {
    assertThatThrownBy(() -> Manifests.parse(utf8("[]"), null))
        .hasMessageContaining("manifest is not a JSON object: it starts with array");
  }

  @Test
  void parse_neitherManifestsNorLayers_throwsSayingItIsNoManifest() {
    assertThatThrownBy(() -> Manifests.parse(utf8("{\"schemaVersion\": 2}"), null))
        .hasMessageContaining("neither \"manifests\" nor \"layers\"");
  }

  @Test
  void parse_negativeLayerSize_throwsNamingValueAndField() {
    String doc = MINIMAL_MANIFEST.replace("\"layers\": []", """
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": "sha256:%s", "size": -1}]""".formatted(HEX_A));
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("descriptor size must not be negative, got -1 for sha256:" + HEX_A)
        .hasMessageContaining("field layers[0]");
  }

  @Test
  void parse_badDigest_throwsNamingDigestAndField() {
    String doc = MINIMAL_MANIFEST.replace("sha256:" + HEX_A, "sha256:xyz");
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("invalid sha256 digest 'xyz'")
        .hasMessageContaining("field config.digest");
  }

  @Test
  void parse_missingDigest_throwsSayingSo() {
    String doc = MINIMAL_MANIFEST.replace("\"digest\": \"sha256:" + HEX_A + "\",", "");
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .hasMessageContaining("descriptor has no digest");
  }

  @Test
  void parse_fractionalSize_throwsNamingField() {
    String doc = MINIMAL_MANIFEST.replace("\"size\": 2", "\"size\": 2.5");
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("field config.size");
  }

  @Test
  void parse_manifestWithoutConfig_throwsSayingSo() {
    String doc = "{\"schemaVersion\": 2, \"mediaType\": \"" + MediaTypes.OCI_MANIFEST
        + "\", \"layers\": []}";
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .hasMessageContaining("image manifest has no config descriptor");
  }

  @Test
  void parse_schemaVersion3_throwsNamingIt() {
    String doc = MINIMAL_MANIFEST.replace("\"schemaVersion\": 2", "\"schemaVersion\": 3");
    assertThatThrownBy(() -> Manifests.parse(utf8(doc), null))
        .hasMessageContaining("image manifest schemaVersion must be 2, got 3");
  }

  @Test
  void parseConfig_diffIdNotADigest_throwsNamingField() {
    String doc = "{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [\"nope\"]}}";
    assertThatThrownBy(() -> Manifests.parseConfig(utf8(doc), "config sha256:abc"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("malformed config sha256:abc: invalid digest 'nope'")
        .hasMessageContaining("field rootfs.diff_ids[0]");
  }
}

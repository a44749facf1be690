package dev.berth.internal.manifest;

import static dev.berth.internal.manifest.Documents.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import dev.berth.ImageNotFoundException;
import dev.berth.Platform;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformMatcherTest {
  private static final String REF = "docker.io/library/postgres:17.11";
  private static final ImageIndex POSTGRES =
      (ImageIndex) Manifests.parse(bytes("dockerhub-postgres-index.json"), null);

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      linux/amd64,     e31e3d5327d1806f6177827c9710643e4f35f7ab3f14d26d05332753d3e95ee0
      linux/x86_64,    e31e3d5327d1806f6177827c9710643e4f35f7ab3f14d26d05332753d3e95ee0
      linux/amd64/v1,  e31e3d5327d1806f6177827c9710643e4f35f7ab3f14d26d05332753d3e95ee0
      linux/amd64/v3,  e31e3d5327d1806f6177827c9710643e4f35f7ab3f14d26d05332753d3e95ee0
      linux/arm64,     86fa57b44a1d38f09970f64ac71eb492f7a9cf94d08b85e1c8f07bb0fc0a1761
      linux/arm64/v8,  86fa57b44a1d38f09970f64ac71eb492f7a9cf94d08b85e1c8f07bb0fc0a1761
      linux/aarch64,   86fa57b44a1d38f09970f64ac71eb492f7a9cf94d08b85e1c8f07bb0fc0a1761
      linux/arm64/v8.2, 86fa57b44a1d38f09970f64ac71eb492f7a9cf94d08b85e1c8f07bb0fc0a1761
      linux/arm64/v9,  86fa57b44a1d38f09970f64ac71eb492f7a9cf94d08b85e1c8f07bb0fc0a1761
      linux/arm/v7,    b635c790d35ec6ca6b2ad7ce115c6e2500610168b236b7ced090b53cae837a3c
      linux/arm,       b635c790d35ec6ca6b2ad7ce115c6e2500610168b236b7ced090b53cae837a3c
      linux/armhf,     b635c790d35ec6ca6b2ad7ce115c6e2500610168b236b7ced090b53cae837a3c
      linux/arm/v8,    b635c790d35ec6ca6b2ad7ce115c6e2500610168b236b7ced090b53cae837a3c
      linux/arm/v6,    9b6d2e9b55335c9909a929c463a906a82a5cc9cf4302f87c44269c1aa4173d47
      linux/arm/v5,    9b6d2e9b55335c9909a929c463a906a82a5cc9cf4302f87c44269c1aa4173d47
      linux/386,       8e61732943bd1812876cedbc1219744e1f741d41bc3929ed1dd9f0fd9b334a50
      linux/i386,      8e61732943bd1812876cedbc1219744e1f741d41bc3929ed1dd9f0fd9b334a50
      linux/s390x,     33b944ae19be3c19293d7592789c56a6c7808b552a38e78e440904a57d19d570
      linux/riscv64,   cbc6b27fc0a255576fd004f1334ea16f7b5b065c368e721d6fb9c8417e404570
      """)
  void select_dockerHubIndex_picksTheRunnableManifest(String wanted, String hex) {
    assertThat(PlatformMatcher.select(POSTGRES, Platform.parse(wanted), REF).digest())
        .isEqualTo(Digest.sha256(hex));
  }

  @Test
  void select_noMatch_throwsListingWantedAndAvailableWithoutAttestations() {
    assertThatThrownBy(() -> PlatformMatcher.select(POSTGRES, Platform.parse("linux/mips64le"), REF))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessage("no image for linux/mips64le in " + REF + "; available: linux/amd64, "
            + "linux/arm/v5, linux/arm/v7, linux/arm64/v8, linux/386, linux/ppc64le, "
            + "linux/riscv64, linux/s390x");
  }

  @Test
  void select_noMatch_exceptionCarriesTheReference() {
    assertThatThrownBy(() -> PlatformMatcher.select(POSTGRES, Platform.parse("windows/amd64"), REF))
        .isInstanceOfSatisfying(ImageNotFoundException.class,
            e -> assertThat(e.reference()).isEqualTo(REF));
  }

  @Test
  void select_exactVariantListedAfterOlderOne_prefersExact() {
    ImageIndex index = index("linux/arm/v6", "linux/arm/v7");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/arm/v7"), REF))
        .isEqualTo(index.manifests().get(1));
  }

  @Test
  void select_olderVariants_prefersTheNewestThatRuns() {
    ImageIndex index = index("linux/arm/v5", "linux/arm/v6", "linux/arm/v8");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/arm/v7"), REF))
        .isEqualTo(index.manifests().get(1));
  }

  @Test
  void select_newerArmVariantOnly_throws() {
    ImageIndex index = index("linux/arm/v7");
    assertThatThrownBy(() -> PlatformMatcher.select(index, Platform.parse("linux/arm/v6"), REF))
        .hasMessageContaining("no image for linux/arm/v6");
  }

  @Test
  void select_arm64WithoutVariantInIndex_matchesWantedV8() {
    ImageIndex index = index("linux/amd64", "linux/arm64");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/arm64/v8"), REF))
        .isEqualTo(index.manifests().get(1));
  }

  @Test
  void select_amd64V3Wanted_prefersV3OverPlainAmd64() {
    ImageIndex index = index("linux/amd64", "linux/amd64/v2", "linux/amd64/v3");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/amd64/v3"), REF))
        .isEqualTo(index.manifests().get(2));
  }

  @Test
  void select_plainAmd64Wanted_skipsV3Images() {
    ImageIndex index = index("linux/amd64/v3", "linux/amd64");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/amd64"), REF))
        .isEqualTo(index.manifests().get(1));
  }

  @Test
  void select_onlyV3ImageAndPlainAmd64Wanted_throws() {
    ImageIndex index = index("linux/amd64/v3");
    assertThatThrownBy(() -> PlatformMatcher.select(index, Platform.parse("linux/amd64"), REF))
        .hasMessageContaining("available: linux/amd64/v3");
  }

  @Test
  void select_samePlatformTwice_picksTheFirst() {
    ImageIndex index = index("linux/amd64", "linux/amd64");
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/amd64"), REF))
        .isSameAs(index.manifests().get(0));
  }

  @Test
  void select_onlyAttestations_throwsSayingNoneAvailable() {
    ImageIndex index = index("unknown/unknown");
    assertThatThrownBy(() -> PlatformMatcher.select(index, Platform.parse("linux/amd64"), REF))
        .hasMessageEndingWith("; available: none");
  }

  @Test
  void select_nestedIndexEntry_isSkipped() {
    ImageIndex index = (ImageIndex) Manifests.parse(bytes("oci-image-index-nested.json"), null);
    assertThat(PlatformMatcher.select(index, Platform.parse("linux/ppc64le"), REF).digest().hex())
        .isEqualTo("e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f");
  }

  /** An index with one manifest per platform, digests 00…01, 00…02, … */
  private static ImageIndex index(String... platforms) {
    List<Descriptor> entries = new ArrayList<>();
    for (String p : platforms) {
      String[] parts = p.split("/");
      PlatformSpec spec = new PlatformSpec(parts[1], parts[0], null, null,
          parts.length > 2 ? parts[2] : null, null);
      String hex = "%064x".formatted(entries.size() + 1);
      entries.add(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(hex), 1, null, null, null,
          spec, null));
    }
    return new ImageIndex(2, MediaTypes.OCI_INDEX, null, entries, null, null);
  }
}

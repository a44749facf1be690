package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  private static final int B = ParallelGzipOutputStream.BLOCK;

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, B - 1, B, B + 1, 3 * B + 17, 40 * B + 5})
  void roundTrips_throughTheJdksGunzip(int size) throws IOException {
    byte[] data = text(size);
    assertThat(gunzip(gzip(data, 7919))).isEqualTo(data);
  }

  @Test
  void randomBytes_roundTrip() throws IOException {
    byte[] data = new byte[5 * B + 3];
    new Random(42).nextBytes(data);
    assertThat(gunzip(gzip(data, 1000))).isEqualTo(data);
  }

  @Test
  void gnuGzip_readsIt_andChecksItsCrcAndLength() throws Exception {
    byte[] data = text(20 * B + 999);
    Path gz = Files.write(tmp.resolve("x.gz"), gzip(data, 65536));
    Process p = new ProcessBuilder("gzip", "-dc", gz.toString()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo(data);
    Process t = new ProcessBuilder("gzip", "-tv", gz.toString()).redirectErrorStream(true).start();
    String said = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(t.waitFor()).as(said).isZero();
  }

  @Test
  void sameInput_sameBytes_howeverItIsWritten() throws IOException {
    byte[] data = text(9 * B + 123);
    byte[] a = gzip(data, 1);
    byte[] b = gzip(data, 1 << 20);
    byte[] c = gzip(data, 4093);
    assertThat(a).isEqualTo(b).isEqualTo(c);
  }

  @Test
  void compressesAboutAsWellAsOneStream() throws IOException {
    byte[] data = text(32 * B);
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(one) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(data);
    }
    int parallel = gzip(data, 65536).length;
    assertThat((double) parallel).isLessThan(one.size() * 1.02);
  }

  @Test
  void aFailingTarget_failsTheWrite_notSilently() {
    OutputStream full = new OutputStream() {
      private int left = 100_000;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if ((left -= len) < 0) {
          throw new IOException("No space left on device");
        }
      }
    };
    byte[] data = new byte[40 * B];
    new Random(7).nextBytes(data);
    assertThatThrownBy(() -> {
      try (OutputStream gz = new ParallelGzipOutputStream(full, Deflater.BEST_SPEED)) {
        gz.write(data);
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
  }

  @Test
  void aLevelOutOfRange_isRefused() {
    assertThatThrownBy(() -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 9");
  }

  private static byte[] gzip(byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new ParallelGzipOutputStream(bytes, Deflater.BEST_SPEED)) {
      for (int off = 0; off < data.length; off += chunk) {
        gz.write(data, off, Math.min(chunk, data.length - off));
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** Compressible bytes that still differ from block to block (a dictionary matters). */
  private static byte[] text(int size) {
    StringBuilder s = new StringBuilder(size + 64);
    Random r = new Random(size);
    while (s.length() < size) {
      s.append("line ").append(r.nextInt(5000)).append(" of /usr/lib/node_modules/x").append(r.nextInt(50)).append('\n');
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }
}

package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.internal.runtime.HelperJobs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owners file of a layer stored for the copy root file system: records {@code UID GID PATH},
 * each ending in a NUL (the one byte no path holds), host ids, paths relative to the layer's files.
 */
final class LayerOwners {
  private LayerOwners() {}

  static void write(Path file, List<HelperJobs.Chown> owners) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (HelperJobs.Chown o : owners) {
      out.writeBytes((o.uid() + " " + o.gid() + " " + o.path()).getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    try {
      Files.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new BerthException("cannot write the layer owners file " + file + ": " + e, e);
    }
  }

  /** @return owners by path; empty when the layer has no owners file (all files are the user's) */
  static Map<String, HelperJobs.Chown> read(Path file) {
    Map<String, HelperJobs.Chown> owners = new HashMap<>();
    try {
      for (String rec : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0")) {
        String[] f = rec.split(" ", 3);
        if (f.length == 3) {
          owners.put(f[2], new HelperJobs.Chown(f[2], Integer.parseInt(f[0]), Integer.parseInt(f[1])));
        }
      }
    } catch (NoSuchFileException e) {
      return owners;
    } catch (IOException | NumberFormatException e) {
      throw new BerthException("the layer owners file " + file + " is unreadable (" + e + "); remove the image and pull it again", e);
    }
    return owners;
  }
}

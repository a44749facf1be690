package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.Image;
import dev.berth.ImageList;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The image verbs: pull, images, tag, rmi, push, save, load. */
final class ImageCommands {
  private ImageCommands() {}

  @Command(name = "pull", description = "Download an image from a registry")
  static final class Pull implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--progress", description = "auto, plain or tty (default: ${DEFAULT-VALUE})")
    Pulls.Progress progress = Pulls.Progress.auto;

    @Parameters(paramLabel = "NAME[:TAG|@DIGEST]")
    String reference;

    @Override
    public Integer call() {
      Berth berth = Berth.defaultEngine();
      if (quiet) {
        berth.pull(reference);
      } else {
        if (Pulls.usesDefaultTag(reference)) {
          System.out.println("Using default tag: latest");
        }
        Pulls.pull(berth, reference, System.out, progress);
      }
      System.out.println(ImageRef.parse(reference));
      return 0;
    }
  }

  @Command(name = "images", description = "List images")
  static final class ImagesList implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Override
    public Integer call() {
      ImageList images = Berth.defaultEngine().images();
      if (!quiet) {
        System.out.print(images);
        return 0;
      }
      Set<String> ids = new LinkedHashSet<>();
      images.forEach(i -> ids.add(i.id().shortHex()));
      ids.forEach(System.out::println);
      return 0;
    }
  }

  @Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
  static final class Tag implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    @Override
    public Integer call() {
      Image image = Berth.defaultEngine().image(source);
      image.tag(target);
      return 0;
    }
  }

  @Command(name = "rmi", description = "Remove one or more images")
  static final class Rmi implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() {
      int code = 0;
      for (String image : images) {
        try {
          ImageRemoval r = Berth.defaultEngine().removeImage(image, force);
          r.untagged().forEach(t -> System.out.println("Untagged: " + t));
          r.deleted().forEach(d -> System.out.println("Deleted: " + d));
        } catch (BerthException e) {
          System.err.println("Error: " + e.getMessage());
          code = 1;
        }
      }
      return code;
    }
  }

  @Command(name = "push", description = "Upload an image to a registry")
  static final class Push implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(paramLabel = "NAME[:TAG]")
    String reference;

    @Override
    public Integer call() {
      ImageRef ref = ImageRef.parse(reference);
      System.out.println("The push refers to repository [" + ref.registry() + "/"
          + ref.repository() + "]");
      Digest digest = Berth.defaultEngine().image(reference).push(reference);
      System.out.println(ref.tagOrDigest() + ": digest: " + digest);
      return 0;
    }
  }

  @Command(name = "save", description = "Save an image to a tar archive (streamed to STDOUT by "
      + "default)")
  static final class Save implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT")
    Path output;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() throws IOException {
      Image img = Berth.defaultEngine().image(image);
      if (output != null) {
        img.save(output);
        return 0;
      }
      if (System.console() != null) {
        throw new CliException(1, "cowardly refusing to save to a terminal: use the -o flag or"
            + " redirect");
      }
      Path tmp = Files.createTempDirectory("berth-save").resolve("image.tar");
      try {
        img.save(tmp);
        Files.copy(tmp, System.out);
        System.out.flush();
      } finally {
        Files.deleteIfExists(tmp);
        Files.deleteIfExists(tmp.getParent());
      }
      return 0;
    }
  }

  @Command(name = "load", description = "Load images from a tar archive or STDIN")
  static final class Load implements Callable<Integer> {
    @Mixin HelpOption help;

    @Option(names = {"-i", "--input"}, description = "Read from tar archive file, instead of STDIN")
    Path input;

    @Override
    public Integer call() throws IOException {
      if (input != null) {
        report(Berth.defaultEngine().load(input));
        return 0;
      }
      if (Terminal.stdinIsTerminal()) {
        throw new CliException(1, "requested load from stdin, but stdin is a terminal: use -i"
            + " FILE or redirect");
      }
      Path tmp = Files.createTempDirectory("berth-load").resolve("image.tar");
      try {
        Files.copy(System.in, tmp);
        report(Berth.defaultEngine().load(tmp));
      } finally {
        Files.deleteIfExists(tmp);
        Files.deleteIfExists(tmp.getParent());
      }
      return 0;
    }

    private static void report(List<Image> loaded) {
      for (Image i : loaded) {
        List<String> tags = i.inspect().repoTags();
        if (tags.isEmpty()) {
          System.out.println("Loaded image ID: " + i.id());
        }
        tags.forEach(t -> System.out.println("Loaded image: " + ImageRef.parse(t).familiar()));
      }
    }
  }
}

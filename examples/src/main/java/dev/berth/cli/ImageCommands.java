package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.Image;
import dev.berth.ImageList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

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
      System.out.println(dev.berth.ImageRef.parse(reference));
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

  @Command(name = "rmi", description = "Remove one or more images (not available yet)")
  static final class Rmi extends NotYet {
    Rmi() {
      super("'berth rmi' (removing images)");
    }
  }

  @Command(name = "push", description = "Upload an image to a registry (not available yet)")
  static final class Push extends NotYet {
    Push() {
      super("'berth push'");
    }
  }

  @Command(name = "save", description = "Save images to a tar archive (not available yet)")
  static final class Save extends NotYet {
    Save() {
      super("'berth save'");
    }
  }

  @Command(name = "load", description = "Load images from a tar archive (not available yet)")
  static final class Load extends NotYet {
    Load() {
      super("'berth load'");
    }
  }

  /** A verb whose library API has not landed: any arguments, one clear refusal (exit 1). */
  abstract static class NotYet implements Callable<Integer> {
    @Mixin HelpOption help;

    @Unmatched List<String> arguments;

    private final String what;

    NotYet(String what) {
      this.what = what;
    }

    @Override
    public Integer call() {
      throw new CliException(1, what + " is not supported by this version of Berth yet");
    }
  }
}

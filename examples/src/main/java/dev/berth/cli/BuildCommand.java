package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.BuildListener;
import dev.berth.BuildOptions;
import dev.berth.BuildStep;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.ImageRef;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth build}: a Containerfile (or Dockerfile) into the store, with lines in the manner of
 * Docker's plain progress ({@code #2 RUN make}, {@code #3 COPY app /app (cached)}). A failed RUN
 * exits 1 with the step and its exit code.
 */
@Command(name = "build", description = "Build an image from a Containerfile (or Dockerfile)")
final class BuildCommand implements Callable<Integer> {
  @Mixin HelpOption help;

  @Option(names = {"-t", "--tag"}, description = "Name and optionally a tag (name:tag)")
  List<String> tags = new ArrayList<>();

  @Option(names = {"-f", "--file"}, description = "Name of the Containerfile (default: "
      + "PATH/Containerfile, else PATH/Dockerfile)")
  Path file;

  @Option(names = "--build-arg", description = "Set build-time variables (NAME=value, or NAME "
      + "to pass this shell's value)")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", description = "Set the target build stage to build")
  String target;

  @Option(names = "--no-cache", description = "Do not use cache when building the image")
  boolean noCache;

  @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID "
      + "on success")
  boolean quiet;

  @Parameters(paramLabel = "PATH", description = "The build context directory")
  Path context;

  @Override
  public Integer call() {
    if (!Files.isDirectory(context)) {
      throw new CliException(1, "unable to prepare context: path \"" + context + "\" not found;"
          + " give the directory whose files COPY reads");
    }
    BuildOptions options = options();
    if (!Files.isRegularFile(options.file())) {
      throw new CliException(1, "cannot read the Containerfile " + options.file() + ": no such "
          + "file; name it with -f, or put a Containerfile (or Dockerfile) in " + context);
    }
    Progress progress = new Progress(quiet ? null : System.out);
    Image image = ImageBuilder.build(Berth.defaultEngine(),
        options.toBuilder().listener(progress).build());
    progress.finish(image, options.tags());
    return 0;
  }

  BuildOptions options() {
    BuildOptions.Builder b = BuildOptions.builder(context).noCache(noCache).target(target);
    if (file != null) {
      b.file(file);
    }
    for (String t : tags) {
      try {
        b.tag(t);
      } catch (IllegalArgumentException e) {
        throw new CliException(125, "invalid argument \"" + t + "\" for \"-t, --tag\" flag: "
            + e.getMessage());
      }
    }
    for (String arg : buildArgs) {
      addBuildArg(b, arg);
    }
    return b.build();
  }

  /** {@code NAME=value}, or {@code NAME} alone: this shell's value, skipped when unset (Docker). */
  private static void addBuildArg(BuildOptions.Builder b, String arg) {
    int eq = arg.indexOf('=');
    if (eq == 0) {
      throw new CliException(125, "invalid --build-arg '" + arg + "': use NAME=value");
    }
    if (eq > 0) {
      b.buildArg(arg.substring(0, eq), arg.substring(eq + 1));
    } else if (System.getenv(arg) != null) {
      b.buildArg(arg, System.getenv(arg));
    }
  }

  /** Prints each step as it completes; RUN output goes straight to the same stream. */
  private static final class Progress implements BuildListener {
    private final PrintStream out;
    private int lastStep;

    /** @param out where to print, or null for {@code -q} */
    Progress(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onStep(BuildStep step) {
      lastStep = step.number();
      if (out != null) {
        out.println(step);
        out.flush();
      }
    }

    @Override
    public OutputStream output() {
      return out != null ? out : OutputStream.nullOutputStream();
    }

    /** Docker's closing lines; with {@code -q}, only the image ID. */
    void finish(Image image, List<String> tags) {
      if (out == null) {
        System.out.println(image.id());
        return;
      }
      String prefix = "#" + (lastStep + 1) + " ";
      out.println(prefix + "writing image " + image.id() + " done");
      tags.forEach(t -> out.println(prefix + "naming to " + ImageRef.parse(t) + " done"));
    }
  }
}

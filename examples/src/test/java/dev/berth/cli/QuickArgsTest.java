package dev.berth.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** QuickArgs fills a verb's fields as picocli does, or leaves the line to picocli. */
class QuickArgsTest {
  private static final List<String> READ = List.of(
      "run --rm busybox true",
      "run -it --rm --name web -e A=1 -e B --network none -p 8080:80 -p 53:53/udp -v /a:/b:ro busybox sh -c 'echo hi'",
      "run -d --name=x --entrypoint /bin/sh -w /srv -u 1000:1000 -h host -l k=v --tmpfs /t --read-only"
          + " --privileged --cap-add NET_ADMIN --cap-drop ALL --pids-limit 100 --network-alias db -m 64m"
          + " --cpus 1.5 --progress plain --publish-all busybox",
      "run busybox",
      "run --entrypoint= busybox",
      "run busybox ls -la --color --rm -",
      "run -dit -P busybox",
      "exec -it c sh -c 'ls -l'",
      "exec -e A=1 -u 0 -w /tmp c env",
      "rm -f a b",
      "rm a",
      "stop -t 1 a b",
      "stop a",
      "kill -s KILL a",
      "kill a",
      "start a",
      "restart --time 3 a",
      "logs -f -n 10 -t c",
      "logs c",
      "inspect a b",
      "inspect -f '{{.Id}}' --type container a",
      "rmi -f busybox",
      "top c",
      "pull -q busybox",
      "pull --progress plain busybox",
      "push reg/x:1",
      "ps --all",
      "ps -a --format {{.ID}}",
      "images",
      "info",
      "version");

  private static final List<String> LEFT_TO_PICOCLI = List.of(
      "run", "run --help", "run --rm --rm busybox", "run -eA=1 busybox", "run --pids-limit -1 busybox",
      "run --pids-limit 1x busybox", "run --bogus busybox", "run --rm=true busybox", "run -- busybox",
      "run --name --rm busybox", "run --progress fancy busybox", "run --name", "run -ix busybox",
      "exec c", "rm", "rm -f", "stop", "ps -x", "ps -a -a", "ps --help", "tag a b",
      "rename a b", "volume ls", "network ls", "system service", "nosuchverb", "build .",
      "save -o /tmp/x.tar busybox", "load -i /tmp/x.tar");

  @Test
  void everyLineItReads_fillsTheFieldsPicocliFills() throws Exception {
    for (String line : READ) {
      List<String> words = words(line);
      Object quick = BerthCli.quickVerb(words.get(0), words.subList(1, words.size()));
      assertThat(quick).as(line).isNotNull();
      assertThat(fields(quick)).as(line).isEqualTo(fields(picocli(words)));
    }
  }

  @Test
  void linesOutsideItsSubset_areLeftToPicocli() {
    for (String line : LEFT_TO_PICOCLI) {
      List<String> words = words(line);
      assertThat(BerthCli.quickVerb(words.get(0), words.subList(1, words.size()))).as(line).isNull();
    }
  }

  @Test
  void theCommonRunLine_isRead() {
    assertThat(BerthCli.quickCommand("run", "--rm", "busybox", "true"))
        .isInstanceOfSatisfying(RunCommand.class, r -> {
          assertThat(r.remove).isTrue();
          assertThat(r.image).isEqualTo("busybox");
          assertThat(r.command).containsExactly("true");
        });
  }

  @Test
  void theBuildsTable_namesEveryVerb_asItsAnnotationsSay() throws Exception {
    List<String> lines;
    try (InputStream in = QuickArgs.class.getResourceAsStream(QuickArgs.TABLE)) {
      assertThat(in).as("the table process-classes writes").isNotNull();
      lines = new String(in.readAllBytes(), UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
    }
    assertThat(lines).extracting(l -> l.substring(0, l.indexOf('\t')))
        .containsExactlyElementsOf(BerthCli.VERBS.values().stream().map(Class::getName).toList());
    for (Class<?> verb : BerthCli.VERBS.values()) {
      assertThat(QuickArgs.Model.of(verb)).as(verb.getName()).isEqualTo(QuickArgs.Model.reflect(verb));
    }
    assertThat(QuickArgs.Model.of(RunCommand.class).options())
        .containsEntry("--rm", "remove").containsEntry("-i", "interactive");
    assertThat(QuickArgs.Model.of(ContainerCommands.Rename.class)).isNull();
  }

  @Test
  void aTableLine_isTheModelItWasMadeOf() throws Exception {
    for (Class<?> verb : BerthCli.VERBS.values()) {
      QuickArgs.Model model = QuickArgs.Model.reflect(verb);
      assertThat(QuickArgs.Model.parse(QuickArgs.Model.line(model))).as(verb.getName()).isEqualTo(model);
    }
    assertThatThrownBy(() -> QuickArgs.Model.parse("first=image\tsecond=x"))
        .hasMessage("not a word of quick-args.tsv: second=x");
  }

  private static Object picocli(List<String> words) throws Exception {
    Object command = BerthCli.VERBS.get(words.get(0)).getDeclaredConstructor().newInstance();
    CommandLine cli = new CommandLine(command);
    cli.setStopAtPositional(BerthCli.STOP_AT_POSITIONAL.contains(words.get(0)));
    cli.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    return command;
  }

  /** The values of the fields picocli fills, by name. */
  private static Map<String, Object> fields(Object command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : command.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(Option.class) || f.isAnnotationPresent(Parameters.class)) {
        f.setAccessible(true);
        values.put(f.getName(), Objects.requireNonNullElse(f.get(command), "<null>"));
      }
    }
    return values;
  }

  /** Splits on spaces, keeping '…' together (a shell's quotes, enough for these lines). */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    String[] quoted = line.split("'", -1);
    for (int i = 0; i < quoted.length; i++) {
      if (i % 2 == 1) {
        words.add(quoted[i]);
      } else {
        words.addAll(Arrays.stream(quoted[i].trim().split(" +")).filter(w -> !w.isEmpty()).toList());
      }
    }
    return words;
  }
}

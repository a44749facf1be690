package dev.berth.cli;

import picocli.CommandLine.Option;

/** Docker's {@code --help} only: {@code -h} is {@code --hostname} in {@code run}, as in Docker. */
final class HelpOption {
  @Option(names = "--help", usageHelp = true, description = "Print usage")
  boolean help;
}

package dev.berth;

/**
 * What a finished {@code exec} produced.
 *
 * @param exitCode the process's exit code
 * @param stdout everything it wrote to stdout
 * @param stderr everything it wrote to stderr
 */
public record ExecResult(int exitCode, String stdout, String stderr) {}

package dev.berth;

import java.time.Instant;

/**
 * One line of a container's log.
 *
 * @param time when the container wrote it
 * @param stream {@code stdout} or {@code stderr}
 * @param text the text, with its line end
 */
public record LogLine(Instant time, String stream, String text) {
  /** @return the text, as {@code docker logs} prints it */
  @Override
  public String toString() {
    return text;
  }

  /** @return the line with Docker's {@code -t} timestamp prefix */
  public String withTimestamp() {
    return time + " " + text;
  }
}

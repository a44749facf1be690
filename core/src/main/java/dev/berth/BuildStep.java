package dev.berth;

/**
 * One completed step of an image build.
 *
 * @param number the step's number in the whole build, from 1
 * @param instruction the step as written, e.g. {@code RUN make} or {@code COPY app /app}
 * @param cached whether the result came from the build cache instead of running the step
 */
public record BuildStep(int number, String instruction, boolean cached) {

  /** @return {@code #3 RUN make (cached)} */
  @Override
  public String toString() {
    return "#" + number + " " + instruction + (cached ? " (cached)" : "");
  }
}

package dev.berth.internal.runtime;

import dev.berth.BerthException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client of the monitor's control socket (src/main/c/CONFIG.md): one command line per
 * connection, answered "ok" or "error message".
 */
public final class ControlSocket {
  private static final int MAX_ANSWER = 2048;
  /** sun_path holds 108 bytes with the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  private ControlSocket() {}

  /**
   * @param monitorPid the monitor's pid: a socket path too long to connect to is reached through
   *     the monitor's working directory, which is the socket's directory
   * @throws BerthException when the monitor is gone (the process ended) or refuses the command
   */
  public static void send(Path socket, long monitorPid, String command) {
    String answer;
    Path reachable = socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH ? socket
        : Path.of("/proc", Long.toString(monitorPid), "cwd", socket.getFileName().toString());
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(reachable));
      ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      answer = readLine(ch);
    } catch (IOException e) {
      throw new BerthException("Cannot reach the monitor's control socket " + socket + " to " + command + " ("
          + e.getMessage() + "); the process has probably ended", e);
    }
    if (answer.equals(HelperProtocol.CTL_OK)) return;
    String reason = answer.startsWith(HelperProtocol.CTL_ERROR + " ") ? answer.substring(HelperProtocol.CTL_ERROR.length() + 1) : answer;
    throw new BerthException("The monitor refused \"" + command + "\": " + reason);
  }

  private static String readLine(SocketChannel ch) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(256);
    while (buf.size() < MAX_ANSWER && ch.read(b.clear()) > 0) buf.write(b.array(), 0, b.position());
    return buf.toString(StandardCharsets.UTF_8).strip();
  }
}

package dev.berth.dockerapi.internal;

import dev.berth.BerthException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a method and a path (after its {@code /v1.NN} prefix) to the handler that answers it,
 * and is the one place that turns failures into Docker's error answers.
 */
public final class Router {
  /** The newest API version served; clients negotiate down from it. */
  public static final String MAX_VERSION = "1.47";
  /** The oldest the Docker CLI and docker-java may ask for. */
  public static final String MIN_VERSION = "1.24";
  private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)$");
  private static final System.Logger LOG = System.getLogger("dev.berth.dockerapi");

  /** A handler of one route: the exchange and the path's captured groups. */
  @FunctionalInterface
  public interface Handler {
    void handle(Exchange ex, Matcher path) throws Exception;
  }

  private record Route(String method, Pattern path, Handler handler) {}

  /** Where a request goes: its path without the version, and the version asked for. */
  record Target(String path, String version, String versionProblem) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; {@code pathRegex} is matched against the whole path, {@code [^/]+} groups. */
  public Router on(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    return this;
  }

  Target target(String uri) {
    String raw = uri;
    int q = raw.indexOf('?');
    if (q >= 0) {
      raw = raw.substring(0, q);
    }
    String path = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(raw);
    Matcher m = VERSIONED.matcher(path);
    if (!m.matches()) {
      return new Target(path, MAX_VERSION, null);
    }
    String version = m.group(1) + "." + m.group(2);
    String problem = null;
    if (compare(version, MAX_VERSION) > 0) {
      problem = "client version " + version + " is too new. Maximum supported API version is "
          + MAX_VERSION;
    } else if (compare(version, MIN_VERSION) < 0) {
      problem = "client version " + version + " is too old. Minimum supported API version is "
          + MIN_VERSION + ", please upgrade your client to a newer version";
    }
    return new Target(m.group(3), version, problem);
  }

  /** Compares two {@code major.minor} versions. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }

  void handle(Exchange ex, Target target) {
    try {
      if (target.versionProblem() != null) {
        throw ApiException.badRequest(target.versionProblem());
      }
      boolean pathKnown = false;
      for (Route r : routes) {
        Matcher m = r.path().matcher(ex.path());
        if (!m.matches()) {
          continue;
        }
        pathKnown = true;
        if (r.method().equals(ex.method())) {
          r.handler().handle(ex, m);
          if (!ex.responded()) {
            ex.noContent();
          }
          return;
        }
      }
      if (pathKnown) {
        throw new ApiException(405, "method " + ex.method() + " is not allowed on " + ex.path());
      }
      throw new ApiException(404, "page not found");
    } catch (Exchange.ClientGoneException gone) {
      ex.finish(false);
    } catch (Throwable t) {
      fail(ex, t);
    }
  }

  /** Writes the failure as Docker does, or, mid-stream, closes the connection. */
  private static void fail(Exchange ex, Throwable t) {
    ApiException api = toApi(t);
    if (api.status() >= 500) {
      LOG.log(System.Logger.Level.WARNING, ex.method() + " " + ex.path() + ": " + t, t);
    }
    if (ex.responded()) {
      ex.finish(false);
      return;
    }
    try {
      if (ex.method().equals("HEAD")) {
        ex.headersOnly(api.status(), java.util.Map.of());
      } else {
        ex.json(api.status(), Json.object().put("message", api.getMessage()));
      }
    } catch (RuntimeException ignored) {
      ex.finish(false);
    }
  }

  /** The one mapping of Berth's exceptions to Docker's statuses. */
  public static ApiException toApi(Throwable t) {
    if (t instanceof ApiException a) {
      return a;
    }
    if (t instanceof dev.berth.NotFoundException) {
      return ApiException.notFound(t.getMessage());
    }
    if (t instanceof dev.berth.ConflictException) {
      return ApiException.conflict(t.getMessage());
    }
    if (t instanceof BodyStream.BodyTooLargeException) {
      return new ApiException(413, t.getMessage());
    }
    if (t instanceof dev.berth.AuthenticationException) {
      return new ApiException(401, t.getMessage());
    }
    if (t instanceof dev.berth.UnsafeArchiveException || t instanceof IllegalArgumentException) {
      return ApiException.badRequest(t.getMessage());
    }
    if (t instanceof BerthException) {
      return new ApiException(500, String.valueOf(t.getMessage()), t);
    }
    if (t instanceof IOException) {
      return new ApiException(500, "I/O failure: " + t.getMessage(), t);
    }
    return new ApiException(500, t.toString(), t);
  }

  /** A request Netty could not parse: 400 and the connection closes. */
  void badFraming(Channel channel, Throwable cause) {
    byte[] body = Json.bytes(Json.object().put("message",
        "malformed HTTP request: " + cause.getMessage()));
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(r, body.length);
    channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  /** Writes a JSON stream's error line as Docker does inside a 200 stream (pull, build, push). */
  public static void streamError(OutputStream out, Throwable t) {
    String message = toApi(t).getMessage();
    try {
      com.fasterxml.jackson.databind.node.ObjectNode line = Json.object();
      line.set("errorDetail", Json.object().put("message", message));
      line.put("error", message);
      out.write(Json.line(line));
    } catch (IOException | RuntimeException ignored) {
      // the client is gone; nothing more to tell it
    }
  }

  static String berthVersion() {
    Package p = dev.berth.Berth.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}

package dev.berth.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.AuthenticationException;
import dev.berth.BerthException;
import dev.berth.DigestMismatchException;
import dev.berth.ImageNotFoundException;
import dev.berth.RegistryException;
import dev.berth.RegistryUnreachableException;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * The one place that turns HTTP statuses and I/O failures into Berth's typed exceptions. Nothing
 * of OkHttp or java.io leaves the registry package except as a cause.
 */
final class RegistryErrors {
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("MANIFEST_UNKNOWN", "NAME_UNKNOWN", "TAG_UNKNOWN");

  private RegistryErrors() {}

  /** The first entry of the distribution spec's {@code {"errors":[{code,message}]}} body. */
  record ErrorBody(String code, String message) {
    static final ErrorBody NONE = new ErrorBody("", "");

    @Override
    public String toString() {
      return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }
  }

  /** @return a connection failure as {@link RegistryUnreachableException}, with the fix */
  static RegistryUnreachableException unreachable(String registry, HttpUrl url, IOException e) {
    String where = "registry " + registry + " (" + url.host() + ":" + url.port() + ")";
    String msg;
    if (Retries.isCertificateFailure(e)) {
      msg = "the TLS certificate of " + where + " is not trusted (" + rootMessage(e)
          + "); put the CA certificate that signed it in /etc/docker/certs.d/" + registry
          + "/ca.crt, or mark " + registry + " as an insecure registry";
    } else if (e instanceof UnknownHostException) {
      msg = "cannot resolve the host name of " + where + ": check the name and DNS";
    } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      msg = "cannot connect to " + where + ": " + rootMessage(e)
          + "; check that the registry is running and listening there";
    } else if (e instanceof SocketTimeoutException) {
      msg = where + " did not answer in time (" + rootMessage(e)
          + "); check the network or raise the timeouts";
    } else {
      msg = "connection to " + where + " failed: " + rootMessage(e);
    }
    return new RegistryUnreachableException(msg, e);
  }

  /** @return what an unexpected status means for {@code target}, as a typed exception */
  static BerthException fromStatus(Endpoint ep, Response resp, Target target,
      Optional<Credentials> tried) {
    ErrorBody body = errorBody(resp);
    int status = resp.code();
    String request = resp.request().method() + " " + resp.request().url().encodedPath();
    if (status == 401 || status == 403) {
      return denied(ep, target, tried, body, status);
    }
    if ((status == 404 || NOT_FOUND_CODES.contains(body.code()))
        && (target.kind() == Target.Kind.MANIFEST || target.kind() == Target.Kind.TAGS
            || "NAME_UNKNOWN".equals(body.code()))) {
      return notFound(ep, target, body);
    }
    if ("DIGEST_INVALID".equals(body.code())) {
      return new DigestMismatchException(target.subject() + " at " + ep.hostPort(),
          target.subject(), "something else (registry said: " + body + ")");
    }
    return new RegistryException("registry " + ep.hostPort() + " answered " + status + " "
        + resp.message() + " to " + request + " for " + target.subject()
        + (body.equals(ErrorBody.NONE) ? "" : ": " + body));
  }

  /** @return a refused or missing login as {@link AuthenticationException} */
  static BerthException denied(Endpoint ep, Target target, Optional<Credentials> tried,
      ErrorBody body, int status) {
    String said = body.equals(ErrorBody.NONE) ? "" : " (" + body + ")";
    if (tried.isEmpty() && target.kind().isRead()) {
      // registries answer 401 for unknown repositories too, so as not to reveal private ones
      return new ImageNotFoundException(target.subject(), target.subject()
          + " was not found in " + ep.hostPort() + ", or it needs credentials: the registry"
          + " refused anonymous access" + said + "; check the name, or log in with docker login "
          + ep.registry());
    }
    String who = tried.map(Credentials::describe).orElse("no credentials (anonymous)");
    String fix = tried.isEmpty() ? "; log in with docker login " + ep.registry()
        : target.kind() == Target.Kind.LOGIN ? "; check the user name and password (or token) and try again"
            : "; check the user name and password, or log in again with docker login "
                + ep.registry();
    return new AuthenticationException("registry " + ep.hostPort() + " refused " + who
        + " for " + target.subject() + " (" + status + ")" + said + fix);
  }

  private static ImageNotFoundException notFound(Endpoint ep, Target target, ErrorBody body) {
    String what = "NAME_UNKNOWN".equals(body.code()) ? "repository unknown" : "manifest unknown";
    return new ImageNotFoundException(target.subject(), what + ": " + target.subject()
        + " not found in " + ep.base().host() + (ep.base().port() == HttpUrl.defaultPort(
            ep.base().scheme()) ? "" : ":" + ep.base().port()));
  }

  /** @return the registry's error JSON, or its first 200 characters of text, never more */
  static ErrorBody errorBody(Response resp) {
    String text;
    try {
      text = resp.peekBody(64 * 1024).string();
    } catch (IOException | IllegalStateException e) {
      return ErrorBody.NONE;
    }
    try {
      JsonNode first = Json.MAPPER.readTree(text).path("errors").path(0);
      if (!first.isMissingNode()) {
        return new ErrorBody(first.path("code").asText(""), first.path("message").asText(""));
      }
    } catch (IOException notJson) {
      // fall through: show the text as it is
    }
    String trimmed = text.strip();
    return trimmed.isEmpty() ? ErrorBody.NONE
        : new ErrorBody("", trimmed.length() > 200 ? trimmed.substring(0, 200) + "…" : trimmed);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }
}

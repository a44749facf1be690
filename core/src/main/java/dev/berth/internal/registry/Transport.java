package dev.berth.internal.registry;

import dev.berth.BerthException;
import dev.berth.DigestMismatchException;
import dev.berth.RegistryUnreachableException;
import java.io.IOException;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Runs an {@link Exchange}: picks endpoints in order (mirrors, https, http fallback), answers
 * authentication challenges once, lets {@link Sender} retry, and hands back only a response with
 * an expected status. Everything else leaves as a typed exception from {@link RegistryErrors}.
 */
final class Transport {
  private final Endpoints endpoints;
  private final Auth auth;
  private final Sender sender;
  private final RegistryListener listener;

  Transport(Endpoints endpoints, Auth auth, Sender sender, RegistryListener listener) {
    this.endpoints = endpoints;
    this.auth = auth;
    this.sender = sender;
    this.listener = listener;
  }

  /** @return this transport presenting {@code given} to {@code registry}; see {@link Auth} */
  Transport withCredentials(String registry, Credentials given) {
    return new Transport(endpoints, auth.withCredentials(registry, given), sender, listener);
  }

  /** @return a response with one of {@code x.expected()} statuses; the caller closes it */
  Response execute(Exchange x) {
    List<Endpoint> candidates = endpoints.candidates(x.registry(), x.useMirrors());
    for (int i = 0; ; i++) {
      Endpoint ep = candidates.get(i);
      try {
        Response resp = executeOn(ep, x);
        endpoints.succeeded(ep);
        return resp;
      } catch (BerthException e) {
        if (i + 1 >= candidates.size() || !mayFallBack(ep, e)) {
          throw e;
        }
        listener.onFallback(ep.base().toString(), candidates.get(i + 1).base().toString(),
            e.getMessage());
      }
    }
  }

  private boolean mayFallBack(Endpoint ep, BerthException e) {
    if (e instanceof DigestMismatchException) {
      return false;
    }
    return ep.mirror()
        || e instanceof RegistryUnreachableException && endpoints.shouldFallBack(ep, e.getCause());
  }

  /** Sends {@code x} to one endpoint, answering one authentication challenge. */
  Response executeOn(Endpoint ep, Exchange x) {
    boolean reauthenticated = false;
    while (true) {
      Response resp;
      try {
        resp = sender.send(ep.client(), ep.hostPort(), () -> build(ep, x),
            x.replayable() && !ep.probe());
      } catch (IOException e) {
        throw RegistryErrors.unreachable(ep.registry(), x.url().apply(ep), e);
      }
      if (x.expected().contains(resp.code())) {
        return resp;
      }
      try (resp) {
        if (resp.code() == 401 && !reauthenticated
            && auth.challenged(ep, resp, x.scopes(), x.target())) {
          reauthenticated = true;
          continue;
        }
        throw RegistryErrors.fromStatus(ep, resp, x.target(), auth.tried(ep));
      }
    }
  }

  private Request build(Endpoint ep, Exchange x) {
    RequestBody body = x.body() == null ? null : x.body().get();
    if (body == null && ("PUT".equals(x.method()) || "POST".equals(x.method())
        || "PATCH".equals(x.method()))) {
      body = RequestBody.create(new byte[0]);
    }
    Request.Builder b = new Request.Builder().url(x.url().apply(ep)).headers(x.headers())
        .method(x.method(), body);
    String authorization = auth.authorization(ep, x.scopes());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }
}

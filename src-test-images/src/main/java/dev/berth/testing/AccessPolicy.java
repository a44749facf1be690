package dev.berth.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what on which repository, as the {@link TokenServer} decides it. Immutable.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.standard("alice", "secret")   // alice: pull+push+delete on *
 *     .withPublic("mirror/*")                                      // anyone: pull on mirror/*
 *     .withUser("bob", "hunter2").withGrant("bob", "team/*", "pull");
 * }</pre>
 *
 * <p>Repository patterns are globs where {@code *} matches any characters, slashes included.
 * Grants to {@link #ANONYMOUS} apply to everyone, signed in or not, like public repositories on
 * Docker Hub.
 *
 * @param users account name to password
 * @param grants what each account may do
 */
public record AccessPolicy(Map<String, String> users, List<Grant> grants) {
  /** The account name of a request without credentials; grants to it apply to everyone. */
  public static final String ANONYMOUS = "";

  private static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "*");

  /**
   * One permission.
   *
   * @param account the account, or {@link #ANONYMOUS} for everyone
   * @param repositories a glob of repository names, such as {@code library/*}
   * @param actions some of {@code pull}, {@code push}, {@code delete}, {@code *}
   */
  public record Grant(String account, String repositories, Set<String> actions) {
    /** @throws IllegalArgumentException when the pattern is blank or an action is unknown */
    public Grant {
      Objects.requireNonNull(account, "account (use AccessPolicy.ANONYMOUS for everyone)");
      if (repositories == null || repositories.isBlank()) {
        throw new IllegalArgumentException("grant for account '" + account
            + "' has a blank repository pattern: give a glob such as 'library/*' or '*'");
      }
      actions = Set.copyOf(actions);
      for (String action : actions) {
        if (!ACTIONS.contains(action)) {
          throw new IllegalArgumentException("unknown action '" + action + "' in grant for '" + repositories
              + "': use pull, push, delete or *");
        }
      }
    }

    boolean covers(String account, String repository) {
      return (this.account.equals(ANONYMOUS) || this.account.equals(account)) && glob(repositories).matcher(repository).matches();
    }
  }

  /** @throws IllegalArgumentException when a grant names an account that is not a user */
  public AccessPolicy {
    users = Map.copyOf(users);
    grants = List.copyOf(grants);
    for (Grant g : grants) {
      if (!g.account().equals(ANONYMOUS) && !users.containsKey(g.account())) {
        throw new IllegalArgumentException("grant on '" + g.repositories() + "' names unknown account '"
            + g.account() + "': add it first with withUser(name, password)");
      }
    }
  }

  /**
   * The policy test registries start with: {@code user} may pull, push and delete everything;
   * anyone may pull {@code library/*} and {@code public/*}.
   */
  public static AccessPolicy standard(String user, String password) {
    return new AccessPolicy(Map.of(user, password), List.of())
        .withGrant(user, "*", "*").withPublic("library/*").withPublic("public/*");
  }

  /** A copy with one more account (or a new password for an existing one). */
  public AccessPolicy withUser(String name, String password) {
    if (name == null || name.isEmpty() || name.contains(":")) {
      throw new IllegalArgumentException("user name '" + name + "' must be non-empty and free of ':'");
    }
    Map<String, String> copy = new LinkedHashMap<>(users);
    copy.put(name, Objects.requireNonNull(password, "password of " + name));
    return new AccessPolicy(copy, grants);
  }

  /** A copy where {@code account} may also do {@code actions} on repositories matching the glob. */
  public AccessPolicy withGrant(String account, String repositories, String... actions) {
    List<Grant> copy = new ArrayList<>(grants);
    copy.add(new Grant(account, repositories, Set.of(actions)));
    return new AccessPolicy(users, copy);
  }

  /** A copy where anyone, without credentials, may pull repositories matching the glob. */
  public AccessPolicy withPublic(String repositories) {
    return withGrant(ANONYMOUS, repositories, "pull");
  }

  /** Whether {@code password} is right for {@code user}. */
  boolean authenticates(String user, String password) {
    return password != null && password.equals(users.get(user));
  }

  /** Of the {@code requested} actions, those {@code account} may do on {@code repository}. */
  Set<String> allowed(String account, String repository, List<String> requested) {
    Set<String> granted = new LinkedHashSet<>();
    for (Grant g : grants) {
      if (g.covers(account, repository)) {
        granted.addAll(g.actions());
      }
    }
    if (granted.contains("*")) {
      return new LinkedHashSet<>(requested);
    }
    Set<String> result = new LinkedHashSet<>(requested);
    result.retainAll(granted);
    return result;
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}

package dev.berth.internal.runtime;

import dev.berth.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The credentials a container process runs with, resolved from a Docker {@code User} string
 * ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}) against the image's
 * {@code /etc/passwd} and {@code /etc/group}, by the rules runc and Docker use: a numeric user
 * missing from passwd is allowed (gid 0, home /), a named one is an error; supplementary groups
 * are those listing the user by name.
 *
 * @param uid user id
 * @param gid primary group id
 * @param groups supplementary group ids (without the primary one)
 * @param home home directory (for HOME when the image sets none)
 */
public record ExecUser(int uid, int gid, List<Integer> groups, String home) {

  public ExecUser {
    groups = List.copyOf(groups);
  }

  /**
   * @param spec the User value; null or empty means root
   * @param passwd contents of the image's /etc/passwd, or null when it has none
   * @param group contents of the image's /etc/group, or null when it has none
   * @throws BerthException naming the user or group that is not found
   */
  public static ExecUser resolve(String spec, String passwd, String group) {
    String userPart = spec == null || spec.isEmpty() ? "0" : spec;
    String groupPart = null;
    int colon = userPart.indexOf(':');
    if (colon >= 0) {
      groupPart = userPart.substring(colon + 1);
      userPart = userPart.substring(0, colon);
    }
    List<String[]> users = parse(passwd);
    String[] entry = find(users, userPart, 0, 2);
    int uid;
    int gid = 0;
    String home = "/";
    String name = null;
    if (entry != null) {
      uid = Integer.parseInt(entry[2]);
      gid = entry.length > 3 ? parseIntOr(entry[3], 0) : 0;
      home = entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
      name = entry[0];
    } else if (isNumeric(userPart)) {
      uid = Integer.parseInt(userPart);
    } else {
      throw new BerthException("unable to find user " + userPart
          + ": no matching entries in passwd file; use a numeric uid or add the user to the image");
    }
    List<String[]> groups = parse(group);
    if (groupPart != null && !groupPart.isEmpty()) {
      String[] g = find(groups, groupPart, 0, 2);
      if (g != null) {
        gid = Integer.parseInt(g[2]);
      } else if (isNumeric(groupPart)) {
        gid = Integer.parseInt(groupPart);
      } else {
        throw new BerthException("unable to find group " + groupPart
            + ": no matching entries in group file; use a numeric gid or add the group to the image");
      }
    }
    Set<Integer> extra = new LinkedHashSet<>();
    if (name != null && groupPart == null) {
      for (String[] g : groups) {
        if (g.length > 3 && List.of(g[3].split(",")).contains(name) && isNumeric(g[2])) {
          extra.add(Integer.parseInt(g[2]));
        }
      }
    }
    extra.remove(gid);
    return new ExecUser(uid, gid, new ArrayList<>(extra), home);
  }

  private static String[] find(List<String[]> entries, String key, int nameField, int idField) {
    for (String[] e : entries) {
      if (e.length > idField && (e[nameField].equals(key) || e[idField].equals(key))
          && isNumeric(e[idField])) {
        return e;
      }
    }
    return null;
  }

  private static List<String[]> parse(String file) {
    List<String[]> out = new ArrayList<>();
    if (file == null) {
      return out;
    }
    for (String line : file.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        out.add(l.split(":", -1));
      }
    }
    return out;
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 11;
  }

  private static int parseIntOr(String s, int fallback) {
    return isNumeric(s) ? Integer.parseInt(s) : fallback;
  }
}

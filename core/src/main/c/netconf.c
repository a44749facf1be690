/* Parsing the network keys of the config (net.* and publish; see CONFIG.md). Pure, unit tested. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "netconf.h"
#include "config.h"

int netconf_is_key(const char *key) {
  return strcmp(key, "publish") == 0 || strncmp(key, "net.", 4) == 0;
}

static int parse_port(const char *what, const char *s, unsigned int min, unsigned int *out, berr_t *e) {
  char *end;
  errno = 0;
  unsigned long v = s == NULL ? 0 : strtoul(s, &end, 10);
  if (s == NULL || *s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min || v > 65535) {
    return berr_set(e, STAGE_CONFIG, 0, "config: publish: %s \"%s\" is not a port from %u to 65535", what,
                    s == NULL ? "" : s, min);
  }
  *out = (unsigned int)v;
  return 0;
}

static int is_ip(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* "tcp 127.0.0.1 8080 80": protocol, host address, host port (0: any free one), container port. */
static int parse_publish(char *v, config_t *c, berr_t *e) {
  char *save, *proto = strtok_r(v, " ", &save), *ip = strtok_r(NULL, " ", &save);
  char *hport = strtok_r(NULL, " ", &save), *cport = strtok_r(NULL, " ", &save);
  if (cport == NULL || strtok_r(NULL, " ", &save) != NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: publish needs \"tcp|udp HOST-IP HOST-PORT CONTAINER-PORT\"");
  }
  struct publish_rec p = {0, ip, 0, 0};
  if (strcmp(proto, "tcp") == 0) p.type = SOCK_STREAM;
  else if (strcmp(proto, "udp") == 0) p.type = SOCK_DGRAM;
  else return berr_set(e, STAGE_CONFIG, 0, "config: publish: protocol \"%s\" is not tcp or udp", proto);
  if (!is_ip(ip)) return berr_set(e, STAGE_CONFIG, 0, "config: publish: \"%s\" is not an IP address", ip);
  if (parse_port("host port", hport, 0, &p.host_port, e) < 0) return -1;
  if (parse_port("container port", cport, 1, &p.container_port, e) < 0) return -1;
  struct publish_rec *grown = realloc(c->run.net.publish, (c->run.net.npublish + 1) * sizeof p);
  if (grown == NULL) return berr_set(e, STAGE_CONFIG, ENOMEM, "growing the publish list");
  grown[c->run.net.npublish++] = p;
  c->run.net.publish = grown;
  return 0;
}

static int check_ifname(const char *what, const char *name, berr_t *e);

/* "berth-b vb1234 eth1 10.89.1.3/24": bridge, host-side veth, interface inside, address with prefix. */
static int parse_extra(char *v, config_t *c, berr_t *e) {
  char *save, *bridge = strtok_r(v, " ", &save), *veth = strtok_r(NULL, " ", &save);
  char *ifname = strtok_r(NULL, " ", &save), *address = strtok_r(NULL, " ", &save);
  if (address == NULL || strtok_r(NULL, " ", &save) != NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: net.extra needs \"BRIDGE VETH IFNAME ADDRESS/PREFIX\"");
  }
  if (check_ifname("net.extra bridge", bridge, e) < 0 || check_ifname("net.extra veth", veth, e) < 0 ||
      check_ifname("net.extra interface", ifname, e) < 0) {
    return -1;
  }
  if (strchr(address, '/') == NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: net.extra address \"%s\" needs a prefix length, like 10.89.0.2/24",
                    address);
  }
  struct netextra_rec x = {bridge, veth, ifname, address};
  struct netextra_rec *grown = realloc(c->run.net.extra, (c->run.net.nextra + 1) * sizeof x);
  if (grown == NULL) return berr_set(e, STAGE_CONFIG, ENOMEM, "growing the net.extra list");
  grown[c->run.net.nextra++] = x;
  c->run.net.extra = grown;
  return 0;
}

int netconf_parse(const char *key, char *v, config_t *c, berr_t *e) {
  struct net_conf *n = &c->run.net;
  if (strcmp(key, "publish") == 0) return parse_publish(v, c, e);
  if (strcmp(key, "net.extra") == 0) return parse_extra(v, c, e);
  if (strcmp(key, "net.join") == 0) return n->join = v, 0;
  if (strcmp(key, "net.ip_tool") == 0) return n->ip_tool = v, 0;
  if (strcmp(key, "net.bridge") == 0) return n->bridge = v, 0;
  if (strcmp(key, "net.veth") == 0) return n->veth = v, 0;
  if (strcmp(key, "net.address") == 0) return n->address = v, 0;
  if (strcmp(key, "net.gateway") == 0) return n->gateway = v, 0;
  if (strcmp(key, "net.slirp") == 0) return n->slirp = v, 0;
  return berr_set(e, STAGE_CONFIG, 0, "config: unknown key \"%s\" (helper and library versions differ?)", key);
}

static int check_ifname(const char *what, const char *name, berr_t *e) {
  if (strlen(name) == 0 || strlen(name) > 15 || strpbrk(name, "/ \t:") != NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: %s \"%s\" is not an interface name (1-15 chars, no / : or space)",
                    what, name);
  }
  return 0;
}

static int validate_veth(const struct net_conf *n, int own_netns, berr_t *e) {
  int given = (n->bridge != NULL) + (n->veth != NULL) + (n->address != NULL) + (n->gateway != NULL) +
              (n->ip_tool != NULL);
  if (n->nextra > 0) {
    if (!own_netns) return berr_set(e, STAGE_CONFIG, 0, "config: net.extra needs \"namespace net\"");
    if (n->ip_tool == NULL || n->ip_tool[0] != '/') {
      return berr_set(e, STAGE_CONFIG, 0, "config: net.extra needs net.ip_tool, an absolute path");
    }
    if (given == 1) return 0; /* only more networks: no eth0 on a bridge (a private network's container) */
  }
  if (given == 0) return 0;
  if (given != 5) {
    return berr_set(e, STAGE_CONFIG, 0, "config: net.bridge, net.veth, net.address, net.gateway and net.ip_tool "
                    "go together");
  }
  if (!own_netns) return berr_set(e, STAGE_CONFIG, 0, "config: a veth on a bridge needs \"namespace net\"");
  if (n->ip_tool[0] != '/') return berr_set(e, STAGE_CONFIG, 0, "config: net.ip_tool must be an absolute path");
  if (strchr(n->address, '/') == NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: net.address \"%s\" needs a prefix length, like 10.89.0.2/24",
                    n->address);
  }
  if (!is_ip(n->gateway)) return berr_set(e, STAGE_CONFIG, 0, "config: net.gateway \"%s\" is not an IP address", n->gateway);
  return check_ifname("net.bridge", n->bridge, e) < 0 ? -1 : check_ifname("net.veth", n->veth, e);
}

int netconf_validate(const config_t *c, berr_t *e) {
  const struct net_conf *n = &c->run.net;
  int own_netns = (c->run.ns_flags & CLONE_NEWNET) != 0;
  if (n->join != NULL && own_netns) {
    return berr_set(e, STAGE_CONFIG, 0, "config: give either net.join or \"namespace net\", not both");
  }
  if (n->join != NULL && n->join[0] != '/') return berr_set(e, STAGE_CONFIG, 0, "config: net.join must be an absolute path");
  if (n->npublish > 0 && !own_netns && n->join == NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: publish needs a network namespace (\"namespace net\" or net.join); "
                    "on the host network the container's ports are the host's already");
  }
  if (n->slirp != NULL && (!own_netns || n->veth != NULL || n->slirp[0] != '/')) {
    return berr_set(e, STAGE_CONFIG, 0, "config: net.slirp must be an absolute path, and needs \"namespace net\" "
                    "without a veth");
  }
  return validate_veth(n, own_netns, e);
}

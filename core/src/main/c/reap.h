/* reap.c: the reaper that removes a killed JVM's containers from a Docker-API engine (see CONFIG.md). */
#ifndef BERTH_REAP_H
#define BERTH_REAP_H

#include "berth.h"

#define REAP_FILTER_MAX 1024
/* A filter line "label=K=V[&label=K2=V2]" (no '"', '\\', '%' or control bytes) as the Docker
 * API's URL-encoded filters={"label":["K=V",...]}; -1 with a reason in why when refused. */
int reap_filter_query(const char *line, char *out, size_t cap, char *why, size_t whycap);
/* An HTTP/1.x response in buf (len bytes; eof: the connection ended after them): its status,
 * and its body decoded in place (chunked transfer coding removed); -1 while it is not whole. */
int reap_http_parse(char *buf, size_t len, int eof, int *status, char **body, size_t *bodylen);
/* The next "Id":"HEX" of a container list after *pos; 1 found (id filled), 0 none left. */
int reap_next_id(const char *body, size_t len, size_t *pos, char *id, size_t cap);
/* reap [--port N] [--socket PATH] [--grace SECONDS] [--wait SECONDS] */
int reap_main(int argc, char **argv);

#endif

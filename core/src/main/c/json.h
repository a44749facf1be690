/* json.c: JSON escaping, RFC 3339 times and json-file log lines. */
#ifndef BERTH_JSON_H
#define BERTH_JSON_H

#include "berth.h"

#define LOG_LINE_MAX 16384 /* a longer line is logged in pieces, as Docker splits long ones */
size_t json_escape(const char *in, size_t n, char *out, size_t cap);
void rfc3339nano(char *out, size_t cap);
void json_log_line(int logfd, const char *stream, const char *data, size_t n);

#endif

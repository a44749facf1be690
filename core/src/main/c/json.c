/* JSON text for the json-file log and the state file. Unit tested. */
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len;
  unsigned int min;
  if (s[0] < 0x80) return 1;
  if ((s[0] & 0xE0) == 0xC0) len = 2, min = 0x80;
  else if ((s[0] & 0xF0) == 0xE0) len = 3, min = 0x800;
  else if ((s[0] & 0xF8) == 0xF0) len = 4, min = 0x10000;
  else return 0;
  if (len > n) return 0;
  unsigned int cp = s[0] & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/*
 * Escapes n bytes of in as the inside of a JSON string, NUL-terminated in out. Invalid UTF-8
 * becomes U+FFFD, as Go's encoder (and so Docker) does. Returns the length written; output
 * that does not fit is cut at a character boundary.
 */
size_t json_escape(const char *in, size_t n, char *out, size_t cap) {
  const unsigned char *s = (const unsigned char *)in;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    char tmp[8];
    const char *piece = tmp;
    size_t plen, step = 1;
    unsigned char ch = s[i];
    if (ch == '"' || ch == '\\') tmp[0] = '\\', tmp[1] = (char)ch, plen = 2;
    else if (ch == '\n') piece = "\\n", plen = 2;
    else if (ch == '\r') piece = "\\r", plen = 2;
    else if (ch == '\t') piece = "\\t", plen = 2;
    else if (ch < 0x20) plen = (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", ch);
    else if ((step = utf8_len(s + i, n - i)) > 0) piece = in + i, plen = step;
    else piece = "\\ufffd", plen = 6, step = 1;
    if (o + plen + 1 > cap) break;
    memcpy(out + o, piece, plen);
    o += plen;
    i += step;
  }
  if (cap > 0) out[o] = '\0';
  return o;
}

/* Now, as Docker writes log times: 2006-01-02T15:04:05.999999999Z (trailing zeros kept). */
void rfc3339nano(char *out, size_t cap) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  /* not strftime: it calls tzset, which reads /etc/localtime (seven system calls) for a UTC time */
  snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

/* Appends one json-file record to the container's log (none when logfd < 0), as Docker writes it. */
void json_log_line(int logfd, const char *stream, const char *data, size_t n) {
  static char esc[LOG_LINE_MAX * 6 + 1];
  static char rec[sizeof esc + 128];
  char now[40];
  if (logfd < 0) return;
  json_escape(data, n, esc, sizeof esc);
  rfc3339nano(now, sizeof now);
  int len = snprintf(rec, sizeof rec, "{\"log\":\"%s\",\"stream\":\"%s\",\"time\":\"%s\"}\n", esc,
                     stream, now);
  (void)!write(logfd, rec, (size_t)len); /* one O_APPEND write: lines never interleave */
}

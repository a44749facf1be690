/*
 * Test and benchmark fixture ("tcp-sink PORT"): accepts one connection at a time, reads and
 * discards until end-of-file, then closes, so the client learns that everything arrived.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 128) < 0) return 1;
  static char buf[1 << 18];
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    while (read(c, buf, sizeof buf) > 0) {}
    close(c);
  }
}

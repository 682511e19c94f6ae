/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef METRICS_HTTP_H
#define METRICS_HTTP_H 1

/* The HTTP metrics endpoint: libevent's evhttp on a thread of its own.
 *
 * OVS's poll loop and libevent's event loop cannot share a thread, so the
 * server runs on its own.  The only state the two threads share is the
 * published snapshot, under one mutex: the main loop calls
 * metrics_http_publish() with freshly rendered text and a health verdict,
 * and the HTTP thread serves
 *   GET /metrics   the text, as "text/plain; version=0.0.4";
 *   GET /healthz   200 "ok" when healthy, 503 with the reason otherwise.
 * Anything else is 404, and methods other than GET and HEAD are 405.  The
 * HTTP thread never touches IDL rows or any other RCU-protected data. */

#include <stdbool.h>

struct metrics_http;

struct metrics_http *metrics_http_start(const char *address, char **errorp);
void metrics_http_publish(struct metrics_http *, const char *text,
                          bool healthy, const char *unhealthy_reason);
void metrics_http_stop(struct metrics_http *);
int metrics_http_port(const struct metrics_http *);

#endif /* lib/metrics-http.h */

/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#include <config.h>

#include "lib/metrics-http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "socket-util.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(metrics_http);

struct metrics_http {
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
    int port;

    struct ovs_mutex mutex;
    char *text OVS_GUARDED;
    bool healthy OVS_GUARDED;
    char *reason OVS_GUARDED;
};

static bool
method_allowed(struct evhttp_request *req)
{
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
    if (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_HEAD) {
        return true;
    }
    evhttp_send_error(req, 405, "Method Not Allowed");
    return false;
}

static void
serve_metrics(struct evhttp_request *req, void *m_)
{
    struct metrics_http *m = m_;
    if (!method_allowed(req)) {
        return;
    }
    struct evbuffer *body = evbuffer_new();
    ovs_mutex_lock(&m->mutex);
    evbuffer_add(body, m->text, strlen(m->text));
    ovs_mutex_unlock(&m->mutex);
    evhttp_add_header(evhttp_request_get_output_headers(req),
                      "Content-Type", "text/plain; version=0.0.4");
    evhttp_send_reply(req, 200, "OK", body);
    evbuffer_free(body);
}

static void
serve_healthz(struct evhttp_request *req, void *m_)
{
    struct metrics_http *m = m_;
    if (!method_allowed(req)) {
        return;
    }
    struct evbuffer *body = evbuffer_new();
    ovs_mutex_lock(&m->mutex);
    bool healthy = m->healthy;
    evbuffer_add_printf(body, "%s\n", healthy ? "ok" : m->reason);
    ovs_mutex_unlock(&m->mutex);
    evhttp_add_header(evhttp_request_get_output_headers(req),
                      "Content-Type", "text/plain");
    evhttp_send_reply(req, healthy ? 200 : 503,
                      healthy ? "OK" : "Service Unavailable", body);
    evbuffer_free(body);
}

static void
serve_other(struct evhttp_request *req, void *m_ OVS_UNUSED)
{
    if (method_allowed(req)) {
        evhttp_send_error(req, 404, "Not Found");
    }
}

static void *
metrics_http_main(void *m_)
{
    struct metrics_http *m = m_;

    /* This thread never blocks in poll_block(), so it must not hold up RCU
     * grace periods: declare it quiescent for good. */
    ovsrcu_quiesce_start();
    event_base_dispatch(m->base);
    return NULL;
}

/* Starts serving on 'address' ("IP:PORT"; PORT 0 picks a free one).  On
 * failure returns NULL and stores a malloc'd message in '*errorp'.  Call
 * only after daemonize_start(), since it creates a thread. */
struct metrics_http *
metrics_http_start(const char *address, char **errorp)
{
    struct sockaddr_storage ss;
    if (!inet_parse_active(address, -1, &ss, false, NULL)) {
        *errorp = xasprintf("%s: not an IP:PORT address", address);
        return NULL;
    }
    char *host = xstrdup(address);
    char *colon = strrchr(host, ':');
    *colon = '\0';
    const char *ip = host;
    if (ip[0] == '[') {
        ip++;
        host[strlen(host) - 1] = '\0';
    }
    uint16_t port = ss_get_port(&ss);

    static bool threads_ready;
    if (!threads_ready) {
        evthread_use_pthreads();
        threads_ready = true;
    }

    struct metrics_http *m = xzalloc(sizeof *m);
    m->base = event_base_new();
    m->http = m->base ? evhttp_new(m->base) : NULL;
    struct evhttp_bound_socket *sock
        = m->http ? evhttp_bind_socket_with_handle(m->http, ip, port) : NULL;
    if (!sock) {
        *errorp = xasprintf("%s: cannot listen (%s)", address,
                            ovs_strerror(errno));
        if (m->http) {
            evhttp_free(m->http);
        }
        if (m->base) {
            event_base_free(m->base);
        }
        free(m);
        free(host);
        return NULL;
    }
    free(host);

    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    m->port = port;
    if (!getsockname(evhttp_bound_socket_get_fd(sock),
                     (struct sockaddr *) &bound, &len)) {
        m->port = ss_get_port(&bound);
    }

    evhttp_set_cb(m->http, "/metrics", serve_metrics, m);
    evhttp_set_cb(m->http, "/healthz", serve_healthz, m);
    evhttp_set_gencb(m->http, serve_other, m);
    evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD
                               | EVHTTP_REQ_POST | EVHTTP_REQ_PUT
                               | EVHTTP_REQ_DELETE);

    ovs_mutex_init(&m->mutex);
    m->text = xstrdup("");
    m->healthy = false;
    m->reason = xstrdup("starting");
    m->thread = ovs_thread_create("metrics_http", metrics_http_main, m);
    return m;
}

/* Replaces the served snapshot. */
void
metrics_http_publish(struct metrics_http *m, const char *text, bool healthy,
                     const char *unhealthy_reason)
{
    char *new_text = xstrdup(text);
    char *new_reason = xstrdup(unhealthy_reason ? unhealthy_reason : "");
    ovs_mutex_lock(&m->mutex);
    char *old_text = m->text;
    char *old_reason = m->reason;
    m->text = new_text;
    m->reason = new_reason;
    m->healthy = healthy;
    ovs_mutex_unlock(&m->mutex);
    free(old_text);
    free(old_reason);
}

int
metrics_http_port(const struct metrics_http *m)
{
    return m->port;
}

/* Stops the server and joins its thread. */
void
metrics_http_stop(struct metrics_http *m)
{
    if (!m) {
        return;
    }
    event_base_loopbreak(m->base);
    xpthread_join(m->thread, NULL);
    evhttp_free(m->http);
    event_base_free(m->base);
    ovs_mutex_destroy(&m->mutex);
    free(m->text);
    free(m->reason);
    free(m);
}

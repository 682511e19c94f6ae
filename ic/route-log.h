/* Copyright (c) 2026 The ovn-interconnect authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License.  You may obtain
 * a copy of the License at http://www.apache.org/licenses/LICENSE-2.0 */

#ifndef ROUTE_LOG_H
#define ROUTE_LOG_H 1

/* The route step's files log as one module, "sync_route", as they did
 * when they were one file: "vlog/set sync_route:dbg" still covers the
 * whole step, and the log lines keep their module name.  ic/sync-route.c
 * defines the module with VLOG_DEFINE_THIS_MODULE; the other route-*.c
 * files include this header instead, which points the logging macros of
 * openvswitch/vlog.h (written in terms of 'this_module') at it. */

#include "openvswitch/vlog.h"

extern struct vlog_module *VLM_sync_route;
#define this_module (*VLM_sync_route)

#endif /* ic/route-log.h */

/* service_notify.h - telling systemd (Type=notify) what `leanon run` is doing, via libsystemd's
 * sd_notify: READY=1 once it serves, RELOADING=1 then READY=1 around a reload, STOPPING=1 when it
 * drains, and WATCHDOG=1 from the event loop every half WatchdogSec= while the loop runs (a
 * stuck loop stops the pings and systemd restarts the service). Outside systemd (no
 * NOTIFY_SOCKET) every call does nothing. */
#ifndef LEANON_APP_SERVICE_NOTIFY_H
#define LEANON_APP_SERVICE_NOTIFY_H

#include <stdbool.h>
#include <uv.h>

typedef struct lo_service_notify {
    uv_timer_t watchdog;
    bool watching; /* the timer was started (WATCHDOG_USEC was set) */
} lo_service_notify;

/* Sends READY=1 (and the status line) and starts the watchdog pings on loop when systemd asked
 * for them. */
void lo_service_ready(lo_service_notify *n, uv_loop_t *loop, const char *status);
void lo_service_reloading(void);
void lo_service_reloaded(void);
/* Sends STOPPING=1 and closes the watchdog timer (the loop can then end). */
void lo_service_stopping(lo_service_notify *n);

#endif

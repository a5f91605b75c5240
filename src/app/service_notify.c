/* service_notify.c - sd_notify messages and the watchdog timer (see service_notify.h). */
#include "app/service_notify.h"

#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "obs/log.h"

static void on_watchdog(uv_timer_t *timer)
{
    (void)timer;
    sd_notify(0, "WATCHDOG=1");
}

void lo_service_ready(lo_service_notify *n, uv_loop_t *loop, const char *status)
{
    char message[512];
    snprintf(message, sizeof message, "READY=1\nSTATUS=%s", status);
    sd_notify(0, message);
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return;
    uint64_t every_ms = usec / 2000 ? usec / 2000 : 1;
    uv_timer_init(loop, &n->watchdog);
    uv_timer_start(&n->watchdog, on_watchdog, 0, every_ms);
    n->watching = true;
    lo_log(LO_LOG_INFO, "watchdog.on", "ping_ms=%llu", (unsigned long long)every_ms);
}

void lo_service_reloading(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    char message[96];
    snprintf(message, sizeof message, "RELOADING=1\nMONOTONIC_USEC=%llu",
             (unsigned long long)now.tv_sec * 1000000ULL + (unsigned long long)now.tv_nsec / 1000);
    sd_notify(0, message);
}

void lo_service_reloaded(void)
{
    sd_notify(0, "READY=1");
}

void lo_service_stopping(lo_service_notify *n)
{
    sd_notify(0, "STOPPING=1");
    if (!n->watching)
        return;
    uv_timer_stop(&n->watchdog);
    uv_close((uv_handle_t *)&n->watchdog, NULL);
    n->watching = false;
}

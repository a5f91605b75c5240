/* url_check.h - the one check every URL from a config file passes before anything connects
 * to it. libcurl's URL parser (the one the REST client connects with) finds the scheme,
 * user-info and host; the check refuses user-info (a "name@" before the host moves the
 * connection to the host after '@'), hosts written in any form other than the plain one
 * the parser reads (percent-encoded, shortened IPv4, ...), backslashes, spaces, control
 * characters and fragments. URLs that carry the bot token (REST, gateway) must be https://
 * or wss://, or http:// / ws:// to a loopback host: 127.0.0.0/8, [::1] or localhost.
 */
#ifndef LEANON_NET_URL_CHECK_H
#define LEANON_NET_URL_CHECK_H

#include <stddef.h>

typedef enum lo_url_use {
    LO_URL_REST,    /* https:// to any host; http:// only to loopback */
    LO_URL_GATEWAY, /* wss:// to any host; ws:// only to loopback */
    LO_URL_LINK,    /* https:// or http:// to any host: shown to others, never connected to */
} lo_url_use;

/* Returns a new copy of url with its scheme in lower case, or NULL with what is wrong and
 * what to write instead in why (user-info is never echoed: it may hold a password). */
char *lo_url_check(const char *url, lo_url_use use, char *why, size_t why_size);

#endif

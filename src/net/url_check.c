/* url_check.c - checking configured URLs with libcurl's URL parser (see url_check.h). */
#include "net/url_check.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "common/buf.h"

static const struct {
    const char *secure, *plain;
    bool plain_anywhere;
} uses[] = {
    [LO_URL_REST] = {"https", "http", false},
    [LO_URL_GATEWAY] = {"wss", "ws", false},
    [LO_URL_LINK] = {"https", "http", true},
};

static bool loopback_host(const char *host)
{
    struct in_addr v4;
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
        return true;
    return inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

static bool has_part(CURLU *u, CURLUPart part)
{
    char *value = NULL;
    bool present = curl_url_get(u, part, &value, 0) == CURLUE_OK;
    curl_free(value);
    return present;
}

/* The host as the URL text spells it must be the host the parser found, followed only by an
 * optional :port and then the path, the query or the end. */
static bool written_plainly(const char *authority, const char *host)
{
    size_t n = strlen(host);
    if (strncasecmp(authority, host, n) != 0)
        return false;
    const char *p = authority + n;
    if (*p == ':')
        for (p++; isdigit((unsigned char)*p); p++) {
        }
    return *p == '\0' || *p == '/' || *p == '?';
}

/* Everything but the scheme; returns the message for the first problem, or NULL. */
static const char *check_parsed(CURLU *u, const char *url, const char *scheme, lo_url_use use,
                                char *why, size_t size)
{
    /* the parser found the scheme at the start, so url is at least that long */
    const char *after = url + strlen(scheme);
    const char *authority = strncmp(after, "://", 3) == 0 ? after + 3 : NULL;
    char *host = NULL, *port = NULL;
    if (!authority || strchr("/?", *authority) ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(why, size, "no host; write the host name right after \"%s://\"", scheme);
    } else if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD)) {
        snprintf(why, size,
                 "user-info (a name or password and '@' before the host) is not "
                 "allowed: this URL would connect to \"%s\"; remove everything "
                 "between \"//\" and '@'",
                 host);
    } else if (!written_plainly(authority, host)) {
        snprintf(why, size,
                 "the host is written in an encoded or shortened form that reads "
                 "as \"%s\"; write that host plainly",
                 host);
    } else if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && atoi(port) == 0) {
        snprintf(why, size, "expected a port from 1 to 65535");
    } else if (strcmp(scheme, uses[use].plain) == 0 && !uses[use].plain_anywhere &&
               !loopback_host(host)) {
        snprintf(why, size,
                 "%s:// is only allowed to a loopback host (127.0.0.0/8, [::1] or "
                 "localhost), and \"%s\" is not one; use %s://",
                 scheme, host, uses[use].secure);
    } else {
        why = NULL;
    }
    curl_free(host);
    curl_free(port);
    return why;
}

/* Only printable ASCII, no backslash and no #fragment; writes why when not. */
static bool written_in_plain_ascii(const char *url, char *why, size_t why_size)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || *p == '\\' || *p == '#') {
            snprintf(why, why_size,
                     "a URL here may not contain spaces, control characters, "
                     "non-ASCII characters, backslashes or a #fragment; "
                     "percent-encode them in the path, or remove them");
            return false;
        }
    }
    return true;
}

/* A copy of url with its scheme (the first scheme_len bytes) in lower case. */
static char *with_lower_scheme(const char *url, size_t scheme_len)
{
    char *copy = lo_xstrdup(url);
    for (size_t i = 0; i < scheme_len; i++)
        copy[i] = (char)tolower((unsigned char)copy[i]);
    return copy;
}

char *lo_url_check(const char *url, lo_url_use use, char *why, size_t why_size)
{
    if (!written_in_plain_ascii(url, why, why_size))
        return NULL;
    CURLU *u = lo_xcheck(curl_url());
    char *scheme = NULL, *copy = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        snprintf(why, why_size,
                 "not a URL; expected one that starts with \"%s://\" and a host name",
                 uses[use].secure);
    } else if (strcmp(scheme, uses[use].secure) != 0 && strcmp(scheme, uses[use].plain) != 0) {
        snprintf(why, why_size, "expected %s:// (%s:// %s), not %s://", uses[use].secure,
                 uses[use].plain, uses[use].plain_anywhere ? "also" : "only to a loopback host",
                 scheme);
    } else if (!check_parsed(u, url, scheme, use, why, why_size)) {
        copy = with_lower_scheme(url, strlen(scheme));
    }
    curl_free(scheme);
    curl_url_cleanup(u);
    return copy;
}

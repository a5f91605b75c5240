/* test_url_check.c - config-url-userinfo: the URL check every config path uses. User-info is
 * refused and the message names the host libcurl would really connect to; loopback is
 * 127.0.0.0/8, [::1] and localhost; hosts must be written plainly (no percent-encoding, no
 * shortened IPv4); backslashes, fragments, missing hosts and other schemes are refused;
 * upper-case schemes are accepted and lowered; https:// and wss:// go anywhere. */
#include "net/url_check.h"
#include "testing.h"

#include <stdlib.h>
#include <string.h>

static void check_ok(const char *url, lo_url_use use, const char *want)
{
    char why[512] = "";
    char *got = lo_url_check(url, use, why, sizeof why);
    if (!got || strcmp(got, want) != 0)
        fprintf(stderr, "%s: got %s (%s), want %s\n", url, got ? got : "NULL", why, want);
    CHECK(got && strcmp(got, want) == 0);
    free(got);
}

static void check_refused(const char *url, lo_url_use use, const char *want)
{
    char why[512] = "";
    char *got = lo_url_check(url, use, why, sizeof why);
    if (got || strcmp(why, want) != 0)
        fprintf(stderr, "%s:\n  got  \"%s\"\n  want \"%s\"\n", url, got ? got : why, want);
    CHECK(got == NULL && strcmp(why, want) == 0);
    free(got);
}

#define USERINFO(host)                                                                             \
    "user-info (a name or password and '@' before the host) is not allowed: this URL would "       \
    "connect to \"" host "\"; remove everything between \"//\" and '@'"
#define ENCODED(host)                                                                              \
    "the host is written in an encoded or shortened form that reads as \"" host                    \
    "\"; write that host plainly"
#define NOT_LOOPBACK(scheme, host, secure)                                                         \
    scheme ":// is only allowed to a loopback host (127.0.0.0/8, [::1] or localhost), and \"" host \
           "\" is not one; use " secure "://"
#define BAD_CHARS                                                                                  \
    "a URL here may not contain spaces, control characters, non-ASCII characters, "                \
    "backslashes or a #fragment; percent-encode them in the path, or remove them"

int main(void)
{
    /* the defect: user-info passed the loopback check, libcurl connected to the host after '@' */
    check_refused("http://127.0.0.1:1@127.0.0.2:9/api", LO_URL_REST, USERINFO("127.0.0.2"));
    check_refused("http://127.0.0.1:1@other.invalid/api", LO_URL_REST, USERINFO("other.invalid"));
    check_refused("ws://127.0.0.1:1@127.0.0.2:9/", LO_URL_GATEWAY, USERINFO("127.0.0.2"));
    check_refused("https://user:pw@api.invalid/api", LO_URL_REST, USERINFO("api.invalid"));
    check_refused("http://@127.0.0.1/", LO_URL_REST, USERINFO("127.0.0.1"));
    check_refused("http://:@127.0.0.1/", LO_URL_REST, USERINFO("127.0.0.1"));
    check_refused("https://x@site.invalid/", LO_URL_LINK, USERINFO("site.invalid"));

    /* loopback: 127.0.0.0/8, [::1], localhost */
    check_ok("http://127.0.0.1:9/api/v10", LO_URL_REST, "http://127.0.0.1:9/api/v10");
    check_ok("http://127.0.0.2:9/api", LO_URL_REST, "http://127.0.0.2:9/api");
    check_ok("http://127.255.255.254/", LO_URL_REST, "http://127.255.255.254/");
    check_ok("ws://[::1]:9/", LO_URL_GATEWAY, "ws://[::1]:9/");
    check_ok("http://[::1]", LO_URL_REST, "http://[::1]");
    check_ok("ws://localhost:9?v=10", LO_URL_GATEWAY, "ws://localhost:9?v=10");
    check_refused("http://api.invalid/api/v10", LO_URL_REST,
                  NOT_LOOPBACK("http", "api.invalid", "https"));
    check_refused("ws://site.invalid", LO_URL_GATEWAY, NOT_LOOPBACK("ws", "site.invalid", "wss"));
    check_refused("ws://127.0.0.1.other.invalid", LO_URL_GATEWAY,
                  NOT_LOOPBACK("ws", "127.0.0.1.other.invalid", "wss"));
    check_refused("http://localhost.other.invalid/", LO_URL_REST,
                  NOT_LOOPBACK("http", "localhost.other.invalid", "https"));
    check_refused("http://[::ffff:127.0.0.1]/", LO_URL_REST,
                  NOT_LOOPBACK("http", "[::ffff:127.0.0.1]", "https"));

    /* the production policy is unchanged: https:// and wss:// to any host */
    check_ok("https://api.invalid/api/v10", LO_URL_REST, "https://api.invalid/api/v10");
    check_ok("wss://gateway.invalid", LO_URL_GATEWAY, "wss://gateway.invalid");
    check_ok("http://site.invalid/bot", LO_URL_LINK, "http://site.invalid/bot");

    /* upper-case schemes are the same scheme, written back in lower case */
    check_ok("HTTPS://Discord.com/api", LO_URL_REST, "https://Discord.com/api");
    check_ok("WS://127.0.0.1:9/", LO_URL_GATEWAY, "ws://127.0.0.1:9/");
    check_refused("HTTP://other.invalid/", LO_URL_REST,
                  NOT_LOOPBACK("http", "other.invalid", "https"));

    /* hosts spelled another way than the parser reads them */
    check_refused("http://%31%32%37.0.0.1/", LO_URL_REST, ENCODED("127.0.0.1"));
    check_refused("http://loc%61lhost/", LO_URL_REST, ENCODED("localhost"));
    check_refused("http://127.1/", LO_URL_REST, ENCODED("127.0.0.1"));
    check_refused("http://[0:0::1]/", LO_URL_REST, ENCODED("[::1]"));
    check_refused("http://[::1%25lo]/", LO_URL_REST, ENCODED("[::1]"));

    /* backslashes, spaces, fragments */
    check_refused("http://127.0.0.1\\@other.invalid/", LO_URL_REST, BAD_CHARS);
    check_refused("http://other.invalid\\.127.0.0.1/", LO_URL_REST, BAD_CHARS);
    check_refused("ws://127.0.0.1#@other.invalid/", LO_URL_GATEWAY, BAD_CHARS);
    check_refused("http://127.0.0.1 @other.invalid/", LO_URL_REST, BAD_CHARS);

    /* missing host, bad port, not a URL, other schemes */
    check_refused("http:///path", LO_URL_REST,
                  "no host; write the host name right after \"http://\"");
    check_refused("http:/127.0.0.1/x", LO_URL_REST,
                  "no host; write the host name right after \"http://\"");
    check_refused("HTTP:/x", LO_URL_REST, "no host; write the host name right after \"http://\"");
    check_refused("http://", LO_URL_REST,
                  "not a URL; expected one that starts with \"https://\" and a host name");
    check_refused("http:", LO_URL_REST,
                  "not a URL; expected one that starts with \"https://\" and a host name");
    check_refused("127.0.0.1:9/api", LO_URL_REST,
                  "not a URL; expected one that starts with \"https://\" and a host name");
    check_refused("http://127.0.0.1:0/", LO_URL_REST, "expected a port from 1 to 65535");
    check_refused("http://127.0.0.1:99999/", LO_URL_REST,
                  "not a URL; expected one that starts with \"https://\" and a host name");
    check_refused("ftp://127.0.0.1/", LO_URL_REST,
                  "expected https:// (http:// only to a loopback host), not ftp://");
    check_refused("file:///etc/passwd", LO_URL_REST,
                  "expected https:// (http:// only to a loopback host), not file://");
    check_refused("https://api.invalid/api", LO_URL_GATEWAY,
                  "expected wss:// (ws:// only to a loopback host), not https://");
    check_refused("wss://gateway.invalid", LO_URL_REST,
                  "expected https:// (http:// only to a loopback host), not wss://");
    check_refused("gopher://site.invalid/", LO_URL_LINK,
                  "expected https:// (http:// also), not gopher://");
    return CHECK_DONE();
}

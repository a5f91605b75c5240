/* test_forwarded.c - the client address behind trusted proxies (src/platforms/forwarded.h):
 * which entries a host may list, which peers are trusted, and which X-Forwarded-For hop is
 * the client, including forged, malformed and over-long headers. */
#include "platforms/forwarded.h"
#include "testing.h"

static const char *const trusted[] = {"127.0.0.1", "10.0.0.0/8", "fd00::/8",
                                      "::ffff:192.0.2.0/120"};
#define TRUSTED (sizeof trusted / sizeof trusted[0])

static const char *client(const char *peer, const char *forwarded)
{
    static char out[LO_ADDRESS_MAX];
    lo_forwarded_client(peer, forwarded, trusted, TRUSTED, out);
    return out;
}

static void test_entries(void)
{
    CHECK(lo_forwarded_valid_entry("127.0.0.1"));
    CHECK(lo_forwarded_valid_entry("::1"));
    CHECK(lo_forwarded_valid_entry("10.0.0.0/8"));
    CHECK(lo_forwarded_valid_entry("0.0.0.0/0"));
    CHECK(lo_forwarded_valid_entry("fd00::/8"));
    CHECK(lo_forwarded_valid_entry("::ffff:192.0.2.0/120"));
    CHECK(!lo_forwarded_valid_entry(""));
    CHECK(!lo_forwarded_valid_entry("localhost"));
    CHECK(!lo_forwarded_valid_entry("10.0.0.0/33"));
    CHECK(!lo_forwarded_valid_entry("10.0.0.0/"));
    CHECK(!lo_forwarded_valid_entry("10.0.0.0/-1"));
    CHECK(!lo_forwarded_valid_entry("10.0.0.0/8x"));
    CHECK(!lo_forwarded_valid_entry("::ffff:192.0.2.0/95"));
    CHECK(!lo_forwarded_valid_entry("fd00::/129"));
    CHECK(!lo_forwarded_valid_entry("1.2.3.4 "));
}

static void test_trusted(void)
{
    CHECK(lo_forwarded_trusted("127.0.0.1", trusted, TRUSTED));
    CHECK(lo_forwarded_trusted("::ffff:127.0.0.1", trusted, TRUSTED)); /* a dual-stack socket */
    CHECK(!lo_forwarded_trusted("127.0.0.2", trusted, TRUSTED));
    CHECK(lo_forwarded_trusted("10.255.1.2", trusted, TRUSTED));
    CHECK(!lo_forwarded_trusted("11.0.0.1", trusted, TRUSTED));
    CHECK(lo_forwarded_trusted("fd12:3456::1", trusted, TRUSTED));
    CHECK(!lo_forwarded_trusted("fe80::1", trusted, TRUSTED));
    CHECK(lo_forwarded_trusted("192.0.2.200", trusted, TRUSTED)); /* written as a mapped network */
    CHECK(!lo_forwarded_trusted("192.0.3.1", trusted, TRUSTED));
    CHECK(!lo_forwarded_trusted("not an address", trusted, TRUSTED));
    CHECK(!lo_forwarded_trusted("127.0.0.1", trusted, 0));
}

static void test_client(void)
{
    /* a peer nobody trusts: its header is ignored, whatever it claims */
    CHECK_STR(client("198.51.100.4", "203.0.113.9"), "198.51.100.4");
    /* a trusted proxy: the address it forwards */
    CHECK_STR(client("127.0.0.1", "203.0.113.9"), "203.0.113.9");
    CHECK_STR(client("127.0.0.1", " 203.0.113.9 "), "203.0.113.9");
    /* a chain: the rightmost hop no trusted proxy vouches for; what the client wrote itself
     * to the left of it is ignored */
    CHECK_STR(client("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.1.2.3"), "203.0.113.9");
    CHECK_STR(client("127.0.0.1", "1.1.1.1,203.0.113.9,10.1.2.3"), "203.0.113.9");
    /* every hop trusted: the leftmost */
    CHECK_STR(client("127.0.0.1", "10.0.0.5, 10.0.0.6"), "10.0.0.5");
    /* no header, an empty one, or a broken hop: the last address a trusted proxy stands for */
    CHECK_STR(client("127.0.0.1", NULL), "127.0.0.1");
    CHECK_STR(client("127.0.0.1", ""), "127.0.0.1");
    CHECK_STR(client("127.0.0.1", "unknown"), "127.0.0.1");
    CHECK_STR(client("127.0.0.1", "203.0.113.9, junk, 10.0.0.7"), "10.0.0.7");
    CHECK_STR(client("127.0.0.1", "203.0.113.9,"), "127.0.0.1");
    char longest[200];
    memset(longest, '1', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    CHECK_STR(client("127.0.0.1", longest), "127.0.0.1");
    /* IPv6, and one canonical spelling of each address */
    CHECK_STR(client("::1", "2001:db8::1"), "::1"); /* ::1 is not in this list */
    CHECK_STR(client("fd00::1", "2001:DB8:0:0::1"), "2001:db8::1");
    CHECK_STR(client("127.0.0.1", "::ffff:203.0.113.9"), "203.0.113.9");
}

int main(void)
{
    test_entries();
    test_trusted();
    test_client();
    TEST_MAIN_END();
}

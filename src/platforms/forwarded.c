/* forwarded.c - the client address behind trusted proxies (see forwarded.h). Addresses are
 * compared as bytes (inet_pton), so "::ffff:127.0.0.1" and "127.0.0.1" are one address and
 * the textual forms of IPv6 do not matter; a forwarded address is written in its one
 * canonical form, so the per-address cap counts it once however a proxy spelled it. */
#include "platforms/forwarded.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct address {
    uint8_t bytes[16];
    unsigned bits; /* 32 for IPv4, 128 for IPv6 */
} address;

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool parse_address(const char *text, address *a)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, text, &v4) == 1) {
        memcpy(a->bytes, &v4, 4);
        a->bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, text, &v6) != 1)
        return false;
    if (memcmp(v6.s6_addr, v4_mapped, sizeof v4_mapped) == 0) {
        memcpy(a->bytes, v6.s6_addr + 12, 4);
        a->bits = 32;
    } else {
        memcpy(a->bytes, v6.s6_addr, 16);
        a->bits = 128;
    }
    return true;
}

static void format_address(const address *a, char *out)
{
    inet_ntop(a->bits == 32 ? AF_INET : AF_INET6, a->bytes, out, LO_ADDRESS_MAX);
}

/* An entry: an address and how many leading bits must match. */
static bool parse_entry(const char *text, address *net, unsigned *prefix)
{
    char host[LO_ADDRESS_MAX];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof host)
        return false;
    memcpy(host, text, n);
    host[n] = '\0';
    if (!parse_address(host, net))
        return false;
    *prefix = net->bits;
    if (!slash)
        return true;
    const char *digits = slash + 1;
    if (!*digits || strspn(digits, "0123456789") != strlen(digits) || strlen(digits) > 3)
        return false;
    unsigned long bits = strtoul(digits, NULL, 10);
    /* a mapped IPv4 network's prefix counts the 96 bits of the mapping */
    bool mapped = net->bits == 32 && strchr(host, ':');
    if (mapped) {
        if (bits < 96 || bits > 128)
            return false;
        bits -= 96;
    }
    if (bits > net->bits)
        return false;
    *prefix = (unsigned)bits;
    return true;
}

static bool in_network(const address *a, const address *net, unsigned prefix)
{
    if (a->bits != net->bits)
        return false;
    unsigned whole = prefix / 8, rest = prefix % 8;
    if (memcmp(a->bytes, net->bytes, whole) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a->bytes[whole] & mask) == (net->bytes[whole] & mask);
}

bool lo_forwarded_valid_entry(const char *text)
{
    address net;
    unsigned prefix;
    return parse_entry(text, &net, &prefix);
}

bool lo_forwarded_trusted(const char *text, const char *const *trusted, size_t count)
{
    address a;
    if (!parse_address(text, &a))
        return false;
    for (size_t i = 0; i < count; i++) {
        address net;
        unsigned prefix;
        if (parse_entry(trusted[i], &net, &prefix) && in_network(&a, &net, prefix))
            return true;
    }
    return false;
}

/* The hop that ends at end (exclusive), spaces trimmed, into hop; where the one before it ends. */
static const char *previous_hop(const char *start, const char *end, char *hop, size_t size,
                                bool *fits)
{
    const char *comma = end;
    while (comma > start && comma[-1] != ',')
        comma--;
    const char *a = comma, *b = end;
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
        b--;
    *fits = (size_t)(b - a) < size;
    if (*fits) {
        memcpy(hop, a, (size_t)(b - a));
        hop[b - a] = '\0';
    }
    return comma > start ? comma - 1 : NULL;
}

void lo_forwarded_client(const char *peer, const char *forwarded, const char *const *trusted,
                         size_t count, char *out)
{
    snprintf(out, LO_ADDRESS_MAX, "%s", peer);
    if (!forwarded || !lo_forwarded_trusted(peer, trusted, count))
        return;
    const char *end = forwarded + strlen(forwarded);
    while (end) {
        char hop[LO_ADDRESS_MAX];
        bool fits;
        end = previous_hop(forwarded, end, hop, sizeof hop, &fits);
        address a;
        if (!fits || !parse_address(hop, &a))
            return; /* out stays the last hop we trust */
        format_address(&a, out);
        if (!lo_forwarded_trusted(out, trusted, count))
            return;
    }
}

/* forwarded.h - the client address of a web chat connection behind a reverse proxy: the TCP
 * peer, unless that peer is a proxy the host trusts, in which case the address its
 * X-Forwarded-For names (forwarded.c). Pure: no sockets, no state. */
#ifndef LEANON_PLATFORMS_FORWARDED_H
#define LEANON_PLATFORMS_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>

/* Longest textual address written (INET6_ADDRSTRLEN). */
#define LO_ADDRESS_MAX 46

/* True when text is an address ("10.0.0.1", "::1") or a network in CIDR form
 * ("10.0.0.0/8", "fd00::/8"): what a trusted_proxies entry may be. */
bool lo_forwarded_valid_entry(const char *text);

/* True when address (IPv4, IPv6, or IPv4-mapped IPv6) is one of the entries. */
bool lo_forwarded_trusted(const char *address, const char *const *trusted, size_t count);

/* Writes the client's address into out (LO_ADDRESS_MAX bytes): peer when it is not trusted or
 * there is no header (forwarded NULL); else the rightmost address of the comma-separated
 * X-Forwarded-For value that is not itself trusted, as nginx's realip module does with
 * real_ip_recursive. A malformed entry stops the walk: the last trusted hop is the client
 * then, so a forged or broken header never yields an address nobody vouched for. */
void lo_forwarded_client(const char *peer, const char *forwarded, const char *const *trusted,
                         size_t count, char *out);

#endif

/* ws_frame.h - the one RFC 6455 frame codec of leanon: frame headers (FIN, opcode, mask bit,
 * 7/16/64-bit lengths, masking key) parsed and encoded, payloads masked, close payloads.
 *
 * It knows bytes only (no sockets): the web chat's relay checks client frames with it, and the
 * test client and the fake servers build and read their frames with it.
 */
#ifndef LEANON_NET_WS_FRAME_H
#define LEANON_NET_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    LO_WS_CONTINUATION = 0x0,
    LO_WS_TEXT = 0x1,
    LO_WS_BINARY = 0x2,
    LO_WS_CLOSE = 0x8,
    LO_WS_PING = 0x9,
    LO_WS_PONG = 0xA,
};

/* Close codes (RFC 6455 7.4.1) leanon sends or checks. */
enum {
    LO_WS_CLOSE_NORMAL = 1000,
    LO_WS_CLOSE_PROTOCOL_ERROR = 1002,
    LO_WS_CLOSE_NO_STATUS = 1005,
    LO_WS_CLOSE_POLICY = 1008,
    LO_WS_CLOSE_TOO_BIG = 1009,
};

/* The longest header: 2 bytes, a 64-bit length, a masking key. */
#define LO_WS_HEADER_MAX 14

typedef struct lo_ws_header {
    bool fin;
    uint8_t rsv; /* the three RSV bits, 0..7 */
    uint8_t opcode;
    bool masked;
    uint8_t mask[4]; /* when masked */
    uint64_t length; /* payload bytes */
    size_t size;     /* header bytes */
} lo_ws_header;

/* Parses the header at data[0..len). Returns its size (2 to 14) with *h filled, 0 when len
 * does not hold the whole header yet, -1 when it is not a valid header: a 64-bit length with
 * its top bit set, or a length in a longer form than it needs (RFC 6455 5.2). */
int lo_ws_parse_header(const uint8_t *data, size_t len, lo_ws_header *h);

/* The whole frame at data[0..len): returns its size (header and payload) with *h filled and
 * the payload, at data + h->size, unmasked in place; 0 when it is not all there yet; -1 when
 * its header is invalid. */
int64_t lo_ws_take_frame(uint8_t *data, size_t len, lo_ws_header *h);

/* The same for a server reading a client's frames: -1 as well for an unmasked frame (RFC 6455
 * 5.1), as soon as its header is there. */
int64_t lo_ws_take_client_frame(uint8_t *data, size_t len, lo_ws_header *h);

/* Writes the header of a frame with that payload length into out (LO_WS_HEADER_MAX bytes at
 * least), in its shortest length form, masked with mask when mask is not NULL. Returns its
 * size. */
size_t lo_ws_encode_header(uint8_t *out, bool fin, int opcode, uint64_t length,
                           const uint8_t mask[4]);

/* XORs data with the masking key, data[0] being payload byte offset (masking and unmasking are
 * the same operation). */
void lo_ws_mask(uint8_t *data, size_t len, const uint8_t mask[4], uint64_t offset);

/* A whole frame in a new buffer (*size bytes): header, then the payload, masked when mask is
 * not NULL. */
uint8_t *lo_ws_frame(bool fin, int opcode, const void *payload, size_t len, const uint8_t mask[4],
                     size_t *size);

/* A close payload: the code in network order, then reason cut to 123 bytes. Returns its size. */
size_t lo_ws_close_payload(uint8_t out[125], int code, const char *reason);
/* The code of a close payload, LO_WS_CLOSE_NO_STATUS when it has none. */
int lo_ws_close_code(const uint8_t *payload, size_t len);

#endif

/* ws_frame.c - the RFC 6455 frame codec of ws_frame.h (section 5.2 of the RFC, by hand). */
#include "net/ws_frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

int lo_ws_parse_header(const uint8_t *data, size_t len, lo_ws_header *h)
{
    if (len < 2)
        return 0;
    h->fin = data[0] & 0x80;
    h->rsv = (uint8_t)((data[0] >> 4) & 0x7);
    h->opcode = data[0] & 0x0f;
    h->masked = data[1] & 0x80;
    uint64_t length = data[1] & 0x7f;
    size_t size = 2;
    if (length == 126) {
        if (len < 4)
            return 0;
        length = (uint64_t)data[2] << 8 | data[3];
        if (length < 126)
            return -1;
        size = 4;
    } else if (length == 127) {
        if (len < 10)
            return 0;
        length = 0;
        for (int i = 0; i < 8; i++)
            length = length << 8 | data[2 + i];
        if (length >> 63 || length < 65536)
            return -1;
        size = 10;
    }
    if (h->masked) {
        if (len < size + 4)
            return 0;
        memcpy(h->mask, data + size, 4);
        size += 4;
    }
    h->length = length;
    h->size = size;
    return (int)size;
}

int64_t lo_ws_take_frame(uint8_t *data, size_t len, lo_ws_header *h)
{
    int n = lo_ws_parse_header(data, len, h);
    if (n <= 0)
        return n;
    if (len - h->size < h->length)
        return 0;
    if (h->masked)
        lo_ws_mask(data + h->size, (size_t)h->length, h->mask, 0);
    return (int64_t)(h->size + h->length);
}

int64_t lo_ws_take_client_frame(uint8_t *data, size_t len, lo_ws_header *h)
{
    int n = lo_ws_parse_header(data, len, h);
    if (n > 0 && !h->masked)
        return -1;
    return n <= 0 ? n : lo_ws_take_frame(data, len, h);
}

size_t lo_ws_encode_header(uint8_t *out, bool fin, int opcode, uint64_t length,
                           const uint8_t mask[4])
{
    size_t size = 2;
    out[0] = (uint8_t)((fin ? 0x80 : 0) | (opcode & 0x0f));
    uint8_t mask_bit = mask ? 0x80 : 0;
    if (length < 126) {
        out[1] = (uint8_t)(mask_bit | length);
    } else if (length < 65536) {
        out[1] = mask_bit | 126;
        out[2] = (uint8_t)(length >> 8);
        out[3] = (uint8_t)length;
        size = 4;
    } else {
        out[1] = mask_bit | 127;
        for (int i = 0; i < 8; i++)
            out[2 + i] = (uint8_t)(length >> (56 - 8 * i));
        size = 10;
    }
    if (mask) {
        memcpy(out + size, mask, 4);
        size += 4;
    }
    return size;
}

void lo_ws_mask(uint8_t *data, size_t len, const uint8_t mask[4], uint64_t offset)
{
    for (size_t i = 0; i < len; i++)
        data[i] ^= mask[(offset + i) & 3];
}

uint8_t *lo_ws_frame(bool fin, int opcode, const void *payload, size_t len, const uint8_t mask[4],
                     size_t *size)
{
    uint8_t *frame = lo_xcalloc(1, LO_WS_HEADER_MAX + len);
    size_t head = lo_ws_encode_header(frame, fin, opcode, len, mask);
    if (len)
        memcpy(frame + head, payload, len);
    if (mask)
        lo_ws_mask(frame + head, len, mask, 0);
    *size = head + len;
    return frame;
}

size_t lo_ws_close_payload(uint8_t out[125], int code, const char *reason)
{
    size_t n = reason ? strlen(reason) : 0;
    if (n > 123)
        n = 123;
    out[0] = (uint8_t)(code >> 8);
    out[1] = (uint8_t)code;
    if (n)
        memcpy(out + 2, reason, n);
    return n + 2;
}

int lo_ws_close_code(const uint8_t *payload, size_t len)
{
    return len >= 2 ? payload[0] << 8 | payload[1] : LO_WS_CLOSE_NO_STATUS;
}

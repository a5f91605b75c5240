/* test_ws_frame.c - the RFC 6455 frame codec (src/net/ws_frame.c): every length form, masked
 * and unmasked frames, whole frames taken from a stream, over-long and non-minimal lengths,
 * truncated input, close payloads. */
#include "net/ws_frame.h"

#include "testing.h"

static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Encodes a header, parses it back and checks every field; also that each shorter prefix
 * reads as incomplete. */
static void round_trip(uint64_t length, const uint8_t *mask, size_t want_size)
{
    uint8_t head[LO_WS_HEADER_MAX];
    size_t size = lo_ws_encode_header(head, true, LO_WS_BINARY, length, mask);
    CHECK_EQ_U64(size, want_size);
    lo_ws_header h;
    CHECK(lo_ws_parse_header(head, size, &h) == (int)size);
    CHECK(h.fin && h.rsv == 0 && h.opcode == LO_WS_BINARY);
    CHECK_EQ_U64(h.length, length);
    CHECK_EQ_U64(h.size, size);
    CHECK(h.masked == (mask != NULL));
    if (mask)
        CHECK(memcmp(h.mask, mask, 4) == 0);
    for (size_t cut = 0; cut < size; cut++)
        CHECK(lo_ws_parse_header(head, cut, &h) == 0);
}

static void test_length_forms(void)
{
    round_trip(0, NULL, 2);
    round_trip(125, NULL, 2);
    round_trip(126, NULL, 4);
    round_trip(65535, NULL, 4);
    round_trip(65536, NULL, 10);
    round_trip((uint64_t)1 << 62, NULL, 10);
    round_trip(5, key, 6);
    round_trip(300, key, 8);
    round_trip(70000, key, 14);
}

/* RFC 6455 5.7's examples: "Hello" unmasked and masked with 37 fa 21 3d. */
static void test_rfc_examples(void)
{
    size_t size;
    uint8_t *plain = lo_ws_frame(true, LO_WS_TEXT, "Hello", 5, NULL, &size);
    const uint8_t want_plain[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    CHECK(size == sizeof want_plain && memcmp(plain, want_plain, size) == 0);
    free(plain);
    uint8_t *masked = lo_ws_frame(true, LO_WS_TEXT, "Hello", 5, key, &size);
    const uint8_t want_masked[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                   0x7f, 0x9f, 0x4d, 0x51, 0x58};
    CHECK(size == sizeof want_masked && memcmp(masked, want_masked, size) == 0);
    lo_ws_header h;
    CHECK(lo_ws_parse_header(masked, size, &h) == 6 && h.masked && h.length == 5);
    lo_ws_mask(masked + h.size, 2, h.mask, 0); /* unmasked in two pieces */
    lo_ws_mask(masked + h.size + 2, 3, h.mask, 2);
    CHECK(memcmp(masked + h.size, "Hello", 5) == 0);
    free(masked);
    /* a fragment: no FIN, and the RSV bits and opcode as sent */
    /* cppcheck-suppress badBitmaskCheck ; the opcode is spelled out though it is 0 */
    const uint8_t fragment[] = {0x70 | LO_WS_CONTINUATION, 0x00};
    CHECK(lo_ws_parse_header(fragment, 2, &h) == 2);
    CHECK(!h.fin && h.rsv == 7 && h.opcode == LO_WS_CONTINUATION && !h.masked && h.length == 0);
}

/* lo_ws_take_frame: whole frames only, unmasked in place, one after the other. */
static void test_take_frame(void)
{
    size_t first, second;
    uint8_t *a = lo_ws_frame(false, LO_WS_TEXT, "Hel", 3, key, &first);
    uint8_t *b = lo_ws_frame(true, LO_WS_CONTINUATION, "lo", 2, NULL, &second);
    uint8_t stream[32];
    memcpy(stream, a, first);
    memcpy(stream + first, b, second);
    lo_ws_header h;
    for (size_t cut = 0; cut < first; cut++)
        CHECK(lo_ws_take_frame(stream, cut, &h) == 0);
    CHECK(lo_ws_take_frame(stream, first + second, &h) == (int64_t)first);
    CHECK(!h.fin && h.masked && memcmp(stream + h.size, "Hel", 3) == 0);
    CHECK(lo_ws_take_frame(stream + first, second, &h) == (int64_t)second);
    CHECK(h.fin && !h.masked && h.opcode == LO_WS_CONTINUATION &&
          memcmp(stream + first + 2, "lo", 2) == 0);
    /* a server reading a client: the unmasked frame is refused at its header, not awaited */
    CHECK(lo_ws_take_client_frame(stream + first, 2, &h) == -1);
    CHECK(lo_ws_take_client_frame(a, first - 1, &h) == 0);
    const uint8_t bad[] = {0x81, 126, 0, 1};
    uint8_t copy[sizeof bad];
    memcpy(copy, bad, sizeof bad);
    CHECK(lo_ws_take_frame(copy, sizeof copy, &h) == -1);
    free(a);
    free(b);
}

static void test_invalid_lengths(void)
{
    lo_ws_header h;
    const uint8_t top_bit[] = {0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
    CHECK(lo_ws_parse_header(top_bit, sizeof top_bit, &h) == -1);
    const uint8_t long16[] = {0x82, 126, 0x00, 125};
    CHECK(lo_ws_parse_header(long16, sizeof long16, &h) == -1);
    const uint8_t long64[] = {0x82, 127, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    CHECK(lo_ws_parse_header(long64, sizeof long64, &h) == -1);
    const uint8_t truncated[] = {0x81, 0xfe, 0x01}; /* 16-bit length cut after one byte */
    CHECK(lo_ws_parse_header(truncated, sizeof truncated, &h) == 0);
    CHECK(lo_ws_parse_header(truncated, 0, &h) == 0);
}

static void test_close_payloads(void)
{
    uint8_t payload[125];
    size_t n = lo_ws_close_payload(payload, LO_WS_CLOSE_PROTOCOL_ERROR, "unmasked");
    CHECK(n == 10 && payload[0] == 0x03 && payload[1] == 0xea &&
          memcmp(payload + 2, "unmasked", 8) == 0);
    CHECK(lo_ws_close_code(payload, n) == 1002);
    CHECK(lo_ws_close_code(payload, 1) == LO_WS_CLOSE_NO_STATUS);
    char reason[200];
    memset(reason, 'x', sizeof reason - 1);
    reason[sizeof reason - 1] = '\0';
    CHECK(lo_ws_close_payload(payload, LO_WS_CLOSE_POLICY, reason) == 125);
    CHECK(lo_ws_close_payload(payload, LO_WS_CLOSE_NORMAL, NULL) == 2);
}

int main(void)
{
    test_length_forms();
    test_rfc_examples();
    test_take_frame();
    test_invalid_lengths();
    test_close_payloads();
    TEST_MAIN_END();
}

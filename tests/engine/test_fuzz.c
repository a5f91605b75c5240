/* test_fuzz.c - random and hostile input through the whole engine: random
 * bytes, random UTF-8, pattern syntax characters, very long words, floods
 * of emoji and negations. It asserts every call returns a reply with valid
 * UTF-8 text, and relies on ASan/UBSan (the CI build) to catch memory faults.
 * Deterministic: a fixed seed. argv[1] is the fixture set. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "engine/session.h"
#include "testing.h"
#include "leanon/engine.h"

static uint64_t state = 0x1234567u;

static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)state;
}

static bool valid_utf8(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

static const char *const pieces[] = {"i",
                                     "want",
                                     "to",
                                     "die",
                                     "not",
                                     "never",
                                     "'",
                                     "\xE2\x80\x99",
                                     "*",
                                     "[",
                                     "(",
                                     "|",
                                     "~",
                                     "!",
                                     "=",
                                     "^",
                                     "$",
                                     "{echo}",
                                     "{name}",
                                     "@everyone",
                                     "<@1>",
                                     "http://127.0.0.1",
                                     "\xF0\x9F\x98\xAD",
                                     "\xCC\x81",
                                     "\xEF\xBF\xBD",
                                     "\xFF",
                                     "\xC3",
                                     "sooooooooooooooooooooo",
                                     "kms",
                                     "lonley",
                                     " ",
                                     ",",
                                     ".",
                                     "\n",
                                     "\0",
                                     "don't",
                                     "im",
                                     "reflect",
                                     "skip",
                                     "stop",
                                     "yes"};

/* Up to want bytes of text into buf: random bytes (mode 0), or pieces, packed (1) or with
 * spaces between (2); returns the length. */
static size_t random_text(char *buf, size_t want, int mode)
{
    size_t len = 0;
    while (len < want) {
        if (mode == 0) {
            buf[len++] = (char)(next() & 0xFF);
            continue;
        }
        const char *p = pieces[next() % (sizeof pieces / sizeof *pieces)];
        size_t k = *p ? strlen(p) : 1;
        if (len + k > want)
            break;
        memcpy(buf + len, p, k);
        len += k;
        if (mode == 2 && len < want)
            buf[len++] = ' ';
    }
    return len;
}

int main(int argc, char **argv)
{
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(argc > 1 ? argv[1] : "data/set", d);
    lo_diags_free(d);
    CHECK(e != NULL);
    if (!e)
        TEST_MAIN_END();
    lo_sessions *s = lo_sessions_new(&(lo_sessions_limits){.max_sessions = 16});
    char buf[4096];
    int ok = 0, rounds = 8000;
    for (int round = 0; round < rounds; round++) {
        size_t len = random_text(buf, next() % sizeof buf, round % 3);
        char key[8];
        snprintf(key, sizeof key, "c%d", round % 20);
        lo_session *conv = lo_sessions_get(s, key, round);
        lo_message m = {.text = buf, .text_len = len, .author_name = buf};
        buf[len < sizeof buf ? len : sizeof buf - 1] = '\0';
        m.author_name = round % 2 ? buf : NULL;
        lo_reply r;
        lo_engine_reply(e, conv, &m, NULL, &r);
        if (r.text && valid_utf8(r.text) && r.category[0])
            ok++;
        lo_reply_clear(&r);
    }
    CHECK(ok == rounds);
    lo_sessions_free(s);
    lo_engine_free(e);
    TEST_MAIN_END();
}

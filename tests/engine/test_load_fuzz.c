/* test_load_fuzz.c - broken response files, the way hurried edits break them:
 * bytes deleted, inserted or swapped, files cut short, lines doubled. Every
 * mutated set must either load or be refused with at least one error that
 * names a file; never a crash, a hang or a leak (ASan/UBSan in CI).
 * Deterministic: a fixed seed. argv[1] is the fixture set. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leanon/engine.h"
#include "testing.h"

static uint64_t state = 0xC0FFEEu;

static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)state;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void spit(const char *dir, const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

/* One random edit of buf (len bytes, room for 64 more). */
static size_t mutate(char *buf, size_t len)
{
    static const char syntax[] = "{}[]\",:|()*~!=^$\\ \n\xC3";
    size_t at = len ? next() % len : 0;
    switch (next() % 5) {
    case 0: /* delete a byte */
        if (len) {
            memmove(buf + at, buf + at + 1, len - at - 1);
            len--;
        }
        break;
    case 1: /* insert a syntax character */
        memmove(buf + at + 1, buf + at, len - at);
        buf[at] = syntax[next() % (sizeof syntax - 1)];
        len++;
        break;
    case 2: /* swap two bytes */
        if (len > 1) {
            size_t b = next() % len;
            char t = buf[at];
            buf[at] = buf[b];
            buf[b] = t;
        }
        break;
    case 3: /* cut short */
        len = at;
        break;
    default: /* a stray value where a text was */
        if (len > 8) {
            memcpy(buf + at, len - at > 4 ? "null" : "1", len - at > 4 ? 4 : 1);
        }
        break;
    }
    return len;
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "data/set";
    setenv("LEANON_DICTIONARY", "/nonexistent", 1); /* word lists play no part here: load faster */
    const char *files[] = {"rules.json", "safety.json", "flows.json", "normalise.json"};
    char *orig[4];
    size_t origlen[4];
    for (int i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", fixture, files[i]);
        orig[i] = slurp(path, &origlen[i]);
        CHECK(orig[i] != NULL);
        if (!orig[i])
            TEST_MAIN_END();
    }
    char dir[] = "/tmp/leanon-loadfuzz-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int loaded = 0, refused = 0, rounds = 400;
    for (int round = 0; round < rounds; round++) {
        int victim = (int)(next() % 4);
        for (int i = 0; i < 4; i++) {
            if (i != victim) {
                spit(dir, files[i], orig[i], origlen[i]);
                continue;
            }
            size_t cap = origlen[i] + (size_t)64 * 8;
            char *buf = malloc(cap);
            memcpy(buf, orig[i], origlen[i]);
            size_t len = origlen[i];
            for (int k = 1 + (int)(next() % 4); k > 0; k--)
                len = mutate(buf, len);
            spit(dir, files[i], buf, len);
            free(buf);
        }
        lo_diags *d = lo_diags_new();
        lo_engine *e = lo_engine_load(dir, d);
        if (e) {
            loaded++;
            lo_message m = {.text = "I want to die", .text_len = 13};
            lo_reply r;
            lo_engine_reply(e, NULL, &m, NULL, &r);
            CHECK(r.text && r.crisis); /* canaries held */
            lo_reply_clear(&r);
            lo_engine_free(e);
        } else {
            refused++;
            bool named = lo_diags_errors(d) > 0;
            for (size_t i = 0; i < lo_diags_count(d); i++)
                if (lo_diags_at(d, i)->severity == LO_DIAG_ERROR && !lo_diags_at(d, i)->message[0])
                    named = false;
            CHECK(named);
        }
        lo_diags_free(d);
    }
    printf("%d mutated sets: %d loaded, %d refused with errors\n", rounds, loaded, refused);
    CHECK(refused > rounds / 4); /* the mutations really break files */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    for (int i = 0; i < 4; i++)
        free(orig[i]);
    TEST_MAIN_END();
}

/* test_split.c - replies cut under Discord's limit: between words, never inside a UTF-8
 * sequence, emoji counted as two units, a word longer than the limit cut at a character
 * boundary, nothing lost but the white space between pieces. */
#include "platforms/discord_split.h"
#include "testing.h"

#include <stdlib.h>
#include <string.h>

typedef struct pieces {
    char text[64][8192]; /* 2,000 units can take up to 6,000 bytes */
    size_t count;
} pieces;

static void split_all(const char *text, size_t limit, pieces *out)
{
    size_t len = strlen(text), offset = 0, start, n;
    out->count = 0;
    while ((n = lo_discord_split_next(text, len, &offset, limit, &start)) > 0 && out->count < 64) {
        memcpy(out->text[out->count], text + start, n);
        out->text[out->count][n] = '\0';
        out->count++;
    }
}

/* UTF-16 units of a valid UTF-8 string. */
static size_t units(const char *s)
{
    size_t u = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            u += (*p & 0xF8) == 0xF0 ? 2 : 1;
    }
    return u;
}

static int is_valid_utf8_boundary(const char *s)
{
    /* a piece must neither start nor end inside a sequence */
    size_t n = strlen(s);
    if (n == 0)
        return 1;
    if (((unsigned char)s[0] & 0xC0) == 0x80)
        return 0;
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 0;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
    return n - (i - 1) == want;
}

static void test_short_text_is_one_piece(void)
{
    pieces p;
    split_all("  hello there  ", 2000, &p);
    CHECK_EQ_U64(p.count, 1);
    CHECK_STR(p.text[0], "hello there");
    split_all("   ", 2000, &p);
    CHECK_EQ_U64(p.count, 0);
}

static void test_cut_between_words(void)
{
    pieces p;
    split_all("one two three four", 9, &p);
    CHECK_EQ_U64(p.count, 3);
    CHECK_STR(p.text[0], "one two");
    CHECK_STR(p.text[1], "three");
    CHECK_STR(p.text[2], "four");
    split_all("aaaa bbbb", 4, &p); /* exact fits */
    CHECK_EQ_U64(p.count, 2);
    CHECK_STR(p.text[0], "aaaa");
    CHECK_STR(p.text[1], "bbbb");
}

static void test_long_word_cut_at_character(void)
{
    pieces p;
    split_all("\xC3\xA9\xC3\xA9\xC3\xA9", 2, &p); /* "ééé" */
    CHECK_EQ_U64(p.count, 2);
    CHECK_STR(p.text[0], "\xC3\xA9\xC3\xA9");
    CHECK_STR(p.text[1], "\xC3\xA9");
    split_all("\xF0\x9F\x92\x9A\xF0\x9F\x92\x9A\xF0\x9F\x92\x9A", 5, &p); /* three emoji: 2 units */
    CHECK_EQ_U64(p.count, 2);
    CHECK_EQ_U64(strlen(p.text[0]), 8);
    CHECK_EQ_U64(strlen(p.text[1]), 4);
}

static void test_long_reply_under_2000(void)
{
    /* 3,000 words of mixed scripts: every piece within 2,000 units, whole characters, whole words */
    static char text[40000];
    size_t len = 0;
    const char *words[] = {"breathe", "\xE6\x85\xA2\xE6\x85\xA2", "caf\xC3\xA9", "\xF0\x9F\x92\x9A",
                           "okay"};
    size_t total_words = 0;
    for (int i = 0; i < 3000; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "%s ", words[i % 5]);
        total_words++;
    }
    pieces *p = malloc(sizeof *p);
    split_all(text, LO_DISCORD_MESSAGE_LIMIT, p);
    CHECK(p->count > 1);
    size_t words_seen = 0;
    for (size_t i = 0; i < p->count; i++) {
        CHECK(units(p->text[i]) <= LO_DISCORD_MESSAGE_LIMIT);
        CHECK(is_valid_utf8_boundary(p->text[i]));
        CHECK(p->text[i][0] != ' ' && p->text[i][strlen(p->text[i]) - 1] != ' ');
        char *save = NULL;
        for (char *w = strtok_r(p->text[i], " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            CHECK_STR(w, words[words_seen % 5]); /* no word was cut or lost */
            words_seen++;
        }
    }
    CHECK_EQ_U64(words_seen, total_words);
    free(p);
}

static void test_invalid_bytes_do_not_stall(void)
{
    pieces p;
    split_all("\xFF\xFE\xFD\xFC", 2, &p);
    CHECK_EQ_U64(p.count, 2);
}

int main(void)
{
    test_short_text_is_one_piece();
    test_cut_between_words();
    test_long_word_cut_at_character();
    test_long_reply_under_2000();
    test_invalid_bytes_do_not_stall();
    TEST_MAIN_END();
}

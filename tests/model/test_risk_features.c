/* test_risk_features.c - the risk score's features: a fixed text gives the
 * exact features and buckets of docs/risk-model.md (the buckets were worked
 * out apart from this code, from FNV-1a 64 of the tagged texts), text is
 * folded as the engine folds it, and the bounds on words and bytes hold. */
#include <string.h>

#include "engine/text.h"
#include "engine/risk_features.h"
#include "testing.h"
#include "common/buf.h"

/* The features of text as "bucket description" lines, in bucket order. */
static char *listing(const char *text, size_t len, unsigned bits)
{
    lo_risk_features f = {0};
    lo_risk_features_extract(text, len, bits, &f);
    lo_strbuf out = {0};
    char d[LO_RISK_DESCRIPTION_BYTES];
    for (size_t i = 0; i < f.n; i++) {
        lo_risk_feature_describe(&f, &f.v[i], d);
        lo_strbuf_addf(&out, "%u %s\n", f.v[i].bucket, d);
    }
    lo_risk_features_free(&f);
    return lo_strbuf_take(&out);
}

static void check_listing(const char *text, unsigned bits, const char *want)
{
    char *got = listing(text, strlen(text), bits);
    CHECK_STR(got, want);
    free(got);
}

int main(void)
{
    /* every kind of feature, with its bucket in 2^24 */
    check_listing("I'm OK", 24,
                  "930470 chars \" ok \"\n"
                  "5523782 chars \"ok \"\n"
                  "5813630 word \"ok\"\n"
                  "6109174 chars \" im \"\n"
                  "6217310 word \"im\"\n"
                  "10409439 bigram \"im ok\"\n"
                  "12536854 chars \"im \"\n"
                  "12587282 chars \" im\"\n"
                  "13693922 chars \" ok\"\n");
    /* folded as the engine folds: case, accents, compatibility forms, any apostrophe */
    char *plain = listing("dont take pills", 15, 24);
    const char *variants[] = {"DON\xE2\x80\x99T take p\xC3\x8D"
                              "LLS!!",
                              "  don't,take...pills ",
                              "dont \xEF\xBD\x94"
                              "ake pills"};
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
        char *v = listing(variants[i], strlen(variants[i]), 24);
        CHECK_STR(v, plain);
        free(v);
    }
    CHECK(strstr(plain, "16455438 bigram \"take pills\"\n") != NULL);
    CHECK(strstr(plain, "6829220 word \"pills\"\n") != NULL);
    free(plain);
    /* buckets are the low bits: the same text in 2^10 buckets */
    check_listing("ok", 10,
                  "326 chars \"ok \"\n382 word \"ok\"\n678 chars \" ok \"\n"
                  "994 chars \" ok\"\n");
    /* invalid UTF-8 and NUL separate words; empty and wordless text give nothing */
    char *split = listing("im\xFFok", 5, 24);
    char *spaced = listing("im ok", 5, 24);
    CHECK_STR(split, spaced);
    free(split);
    free(spaced);
    char *nul = listing("im\0ok", 5, 24);
    CHECK(strstr(nul, "bigram \"im ok\"") != NULL);
    free(nul);
    check_listing("", 24, "");
    check_listing("?! ... :)", 24, "");
    /* a word longer than LO_RISK_MAX_WORD_BYTES gives nothing, and breaks no pair */
    char longw[LO_RISK_MAX_WORD_BYTES + 8];
    memset(longw, 'a', LO_RISK_MAX_WORD_BYTES + 1);
    memcpy(longw + LO_RISK_MAX_WORD_BYTES + 1, " ok", sizeof " ok");
    char *l = listing(longw, strlen(longw), 24);
    char *ok = listing("ok", 2, 24);
    CHECK_STR(l, ok);
    free(l);
    free(ok);
    /* past LO_MAX_MESSAGE_BYTES nothing is read */
    size_t big = LO_MAX_MESSAGE_BYTES + 100;
    char *text = malloc(big);
    memset(text, ' ', big);
    memcpy(text + LO_MAX_MESSAGE_BYTES + 10, "pills", 5);
    char *cut = listing(text, big, 24);
    CHECK_STR(cut, "");
    free(cut);
    free(text);
    TEST_MAIN_END();
}

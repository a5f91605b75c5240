/* test_own_words.c - quoted lines and code are not the person's own words;
 * spoilers are. Checks lo_own_words' exact output and that the tokeniser
 * reads only what is left. */
#include <stdlib.h>
#include <string.h>

#include "engine/normalise.h"
#include "engine/text.h"
#include "testing.h"
#include "common/buf.h"

static void expect_own(const char *in, const char *want)
{
    lo_strbuf out = {0};
    lo_own_words(in, strlen(in), &out);
    CHECK_STR(out.data ? out.data : "", want);
    lo_strbuf_free(&out);
}

static void expect_words(const char *in, const char *want)
{
    lo_normaliser norm;
    lo_normaliser_init_defaults(&norm);
    lo_tokens t = {0};
    lo_text_tokenise(&norm, NULL, NULL, in, strlen(in), &t);
    lo_strbuf got = {0};
    for (size_t i = 0; i < t.n; i++)
        lo_strbuf_addf(&got, "%s%s", i ? " " : "", lo_token_word(&t, i));
    CHECK_STR(got.data ? got.data : "", want);
    lo_strbuf_free(&got);
    lo_tokens_free(&t);
    lo_normaliser_free(&norm);
}

int main(void)
{
    expect_own("hello", "hello");
    expect_own("> i want to die\nwhat do you think of this lyric",
               "\nwhat do you think of this lyric");
    expect_own("  > quoted with spaces\nmine", "\nmine");
    expect_own("look:\n```\nkill -9 myself\n```\nhelp", "look:\n\n\n\nhelp");
    expect_own("the log says `kill myself` again", "the log says   again");
    expect_own("an odd ` tick stays", "an odd ` tick stays");
    expect_own("mine\n>>> all\nof this\nis quoted", "mine\n");
    expect_own("||i want to die||", "||i want to die||");
    expect_own("", "");
    expect_words("> i want to die\nok then", "ok then");
    expect_words("||i feel sad||", "i feel sad");
    expect_words("```\nrm -rf\n```", "");
    TEST_MAIN_END();
}

/* test_config_int_range.c - config-int-range: every whole-number key of the run config and of
 * its discord section refuses values out of range or not whole (1.5, -1, 1e30, 4294967296,
 * which once wrapped shard_id to 0) with "file:line:column: error: "key" must be a whole
 * number from MIN to MAX", the column that of the value; the bounds themselves are accepted. */
#include "app/config.h"

#include <stdlib.h>
#include <unistd.h>

#include "../testing.h"

static char dir[] = "/tmp/leanon-int-range-XXXXXX";

typedef struct int_key {
    const char *doc;   /* the config, %s where the value goes */
    const char *key;   /* the key as errors name it */
    const char *range; /* "from MIN to MAX..." as errors say it */
    const char *min, *max;
} int_key;

static const int_key keys[] = {
    {"{\"session_ttl_seconds\": %s}", "session_ttl_seconds", "from 60 to 86400", "60", "86400"},
    {"{\"max_sessions\": %s}", "max_sessions", "from 1 to 10000000", "1", "10000000"},
    {"{\"defaults\": {\"person_cooldown_seconds\": %s}}", "person_cooldown_seconds",
     "from 0 to 86400", "0", "86400"},
    {"{\"communities\": {\"g\": {\"channel_cooldown_seconds\": %s}}}", "channel_cooldown_seconds",
     "from 0 to 86400", "0", "86400"},
    {"{\"platforms\": {\"webchat\": {\"max_message_chars\": %s}}}", "max_message_chars",
     "from 1 to 4096", "1", "4096"},
    {"{\"platforms\": {\"discord\": {\"shard_count\": %s}}}", "shard_count",
     "from 1 to 65535, or \"auto\" (see docs/discord.md)", "1", "65535"},
    {"{\"platforms\": {\"discord\": {\"shard_count\": 65535, \"shard_id\": %s}}}", "shard_id",
     "from 0 to 65534, below shard_count (see docs/discord.md)", "0", "65534"},
};

static lo_config *load(const char *doc, const char *value, char *err, size_t size)
{
    char path[256], text[256];
    snprintf(path, sizeof path, "%s/c.json", dir);
    snprintf(text, sizeof text, doc, value);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return lo_config_load(path, err, size);
}

/* Every refused value of key k gives the one message, at the value. */
static void check_refused(size_t k)
{
    static const char *const refused[] = {"1.5",   "-1",   "1e30",        "4294967296",
                                          "\"7\"", "true", "-4294967295", "9223372036854775807"};
    int column = (int)(strstr(keys[k].doc, "%s") - keys[k].doc) + 1;
    for (size_t v = 0; v < sizeof refused / sizeof refused[0]; v++) {
        char err[512] = "", want[512];
        lo_config *c = load(keys[k].doc, refused[v], err, sizeof err);
        snprintf(want, sizeof want, "%s/c.json:1:%d: error: \"%s\" must be a whole number %s", dir,
                 column, keys[k].key, keys[k].range);
        CHECK(c == NULL);
        CHECK_STR(err, want);
        lo_config_free(c);
    }
}

/* The bounds of key k are accepted. */
static void check_bounds(size_t k)
{
    const char *bounds[] = {keys[k].min, keys[k].max};
    for (size_t b = 0; b < 2; b++) {
        char err[512] = "";
        lo_config *c = load(keys[k].doc, bounds[b], err, sizeof err);
        if (!c)
            fprintf(stderr, "  %s = %s refused: %s\n", keys[k].key, bounds[b], err);
        CHECK(c != NULL);
        lo_config_free(c);
    }
}

/* The values reach the settings unchanged, never truncated. */
static void check_unchanged(void)
{
    char err[512];
    lo_config *c =
        load("{\"platforms\": {\"discord\": {\"shard_count\": 65535, \"shard_id\": %s}}}", "65534",
             err, sizeof err);
    CHECK(c && c->discord.shard_id == 65534 && c->discord.shard_count == 65535);
    lo_config_free(c);
    c = load("{\"max_sessions\": %s, \"session_ttl_seconds\": 86400}", "10000000", err, sizeof err);
    CHECK(c && c->max_sessions == 10000000 && c->session_ttl == 86400);
    lo_config_free(c);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    setenv("XDG_STATE_HOME", dir, 1);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        check_refused(k);
        check_bounds(k);
    }
    check_unchanged();
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}

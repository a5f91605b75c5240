/* test_config.c - the discord config section: defaults, every key, "auto" sharding, and the
 * errors a host may meet (a token in the file, unknown keys, bad shards, bad guild ids,
 * plain-text URLs off loopback), each naming its key, placed at its key or value. */
#include "common/jpos.h"
#include "platforms/discord_config.h"
#include "testing.h"

static char first[600]; /* the first finding, "line:column: message" */

static void keep_first(void *ctx, int line, int column, const char *message)
{
    (void)ctx;
    if (!first[0])
        snprintf(first, sizeof first, "%d:%d: %s", line, column, message);
}

/* Parses json as the section of {"discord": json}, as the run config holds it. */
static int parse(const char *json, lo_discord_settings *s, char *err, size_t size)
{
    char doc[600];
    snprintf(doc, sizeof doc, "{\"discord\": %s}", json ? json : "{}");
    json_t *root = json_loads(doc, 0, NULL);
    lo_jpos *pos = lo_jpos_parse(doc, strlen(doc));
    lo_sink sink = {.report = keep_first};
    lo_schema top = {.json = root, .pos = pos, .what = "platforms", .sink = &sink}, section;
    first[0] = '\0';
    CHECK(lo_schema_object(&top, "discord", "platforms.discord", &section));
    if (!json)
        section.json = NULL;
    int rc = lo_discord_settings_parse(&section, s);
    snprintf(err, size, "%s", first);
    lo_jpos_free(pos);
    json_decref(root);
    return rc;
}

static void test_defaults_and_keys(void)
{
    lo_discord_settings s;
    char err[512];
    CHECK(parse(NULL, &s, err, sizeof err) == 0);
    CHECK_STR(s.token_env, "LEANON_DISCORD_TOKEN");
    CHECK(s.api_base == NULL && !s.shard_auto && s.shard_count == 1 && s.shard_id == 0);
    lo_discord_settings_clear(&s);

    CHECK(parse("{\"token_env\":\"MY_TOKEN\",\"api_base\":\"http://127.0.0.1:9/api/v10\","
                "\"gateway_url\":\"wss://gateway.invalid\",\"shard_id\":2,\"shard_count\":4,"
                "\"command_guilds\":[\"123\",\"456\"]}",
                &s, err, sizeof err) == 0);
    CHECK_STR(s.token_env, "MY_TOKEN");
    CHECK_EQ_U64(s.shard_id, 2);
    CHECK_EQ_U64(s.shard_count, 4);
    CHECK_EQ_U64(s.command_guild_count, 2);
    lo_discord_options options = {0};
    lo_discord_settings_apply(&s, &options);
    CHECK_STR(options.api_base, "http://127.0.0.1:9/api/v10");
    CHECK_STR(options.command_guilds[1], "456");
    CHECK_EQ_U64(options.shard_count, 4);
    lo_discord_settings_clear(&s);

    CHECK(parse("{\"shard_count\":\"auto\"}", &s, err, sizeof err) == 0);
    CHECK(s.shard_auto);
    lo_discord_settings_clear(&s);
}

static void test_errors(void)
{
    /* each expect is "line:column: message" in {"discord": JSON}: the JSON starts at column 13 */
    static const struct {
        const char *json, *expect;
    } cases[] = {
        {"{\"token\":\"abc\"}", "1:14: \"token\": secrets never go in the config file"},
        {"{\"tokn_env\":\"X\"}", "1:14: unknown key \"tokn_env\" in platforms.discord; did you "
                                 "mean \"token_env\"? (allowed: \"token_env\", \"api_base\","},
        {"{\"token_env\":\"lower case\"}", "1:26: \"token_env\" must be an environment variable"},
        {"{\"shard_id\":4,\"shard_count\":4}",
         "1:25: \"shard_id\" must be below shard_count (4), not 4"},
        {"{\"shard_count\":0}",
         "1:28: \"shard_count\" must be a whole number from 1 to 65535, or \"auto\""},
        {"{\"shard_count\":\"auto\",\"shard_id\":1}", "1:35: \"shard_id\": leave it out"},
        {"{\"command_guilds\":[\"12x\"]}",
         "1:32: item 1 of \"command_guilds\" must be a guild id (its digits, in quotes)"},
        {"{\"command_guilds\":\"123\"}", "1:31: \"command_guilds\" must be a list: put the text"},
        {"{\"api_base\":\"http://api.invalid/api/v10\"}",
         "1:25: \"api_base\": http:// is only allowed"},
        {"{\"gateway_url\":\"ws://site.invalid\"}", "1:28: \"gateway_url\": ws:// is only allowed"},
        {"{\"gateway_url\":\"ws://127.0.0.1.other.invalid\"}", "1:28: \"gateway_url\":"},
        {"{\"api_base\":\"http://127.0.0.1:1@127.0.0.2:9/api\"}",
         "1:25: \"api_base\": user-info (a name or password and '@' before the host) is not "
         "allowed: this URL would connect to \"127.0.0.2\""},
        {"{\"gateway_url\":\"ws://127.0.0.1:1@127.0.0.2:9/\"}", "1:28: \"gateway_url\": user-info"},
        {"{\"user_agent_url\":\"https://me:abc@site.invalid\"}",
         "1:31: \"user_agent_url\": user-info"},
        {"{\"api_base\":7}", "1:25: \"api_base\" must be a non-empty text in quotes"},
        {"{\"gateway_url\":\"\"}", "1:28: \"gateway_url\" must be a non-empty text in quotes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lo_discord_settings s;
        char err[600] = "";
        CHECK(parse(cases[i].json, &s, err, sizeof err) == -1);
        if (strncmp(err, cases[i].expect, strlen(cases[i].expect)) != 0)
            fprintf(stderr, "case %zu: got \"%s\"\n  want \"%s...\"\n", i, err, cases[i].expect);
        CHECK(strncmp(err, cases[i].expect, strlen(cases[i].expect)) == 0);
        CHECK(s.token_env == NULL && s.command_guilds == NULL); /* nothing left allocated */
        CHECK(strstr(err, "abc") == NULL);                      /* a secret is never echoed */
    }
}

int main(void)
{
    test_defaults_and_keys();
    test_errors();
    TEST_MAIN_END();
}

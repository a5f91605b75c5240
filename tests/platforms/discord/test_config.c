/* test_config.c - the discord config section: defaults, every key, "auto" sharding, and the
 * errors a host may meet (a token in the file, unknown keys, bad shards, bad guild ids,
 * plain-text URLs off loopback), each naming its key. */
#include "platforms/discord_config.h"
#include "testing.h"

static const char *bad_key;

static int parse(const char *json, lo_discord_settings *s, char *err, size_t size)
{
    json_t *section = json ? json_loads(json, 0, NULL) : NULL;
    int rc = lo_discord_settings_parse(section, s, &bad_key, err, size);
    static char key_copy[64]; /* the key lives in the section, freed below */
    snprintf(key_copy, sizeof key_copy, "%s", bad_key ? bad_key : "");
    bad_key = bad_key ? key_copy : NULL;
    json_decref(section);
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
    static const struct {
        const char *json, *expect, *key;
    } cases[] = {
        {"{\"token\":\"abc\"}", "token: secrets never go in the config file", "token"},
        {"{\"tokn_env\":\"X\"}", "tokn_env: unknown key", "tokn_env"},
        {"{\"token_env\":\"lower case\"}", "token_env:", "token_env"},
        {"{\"shard_id\":4,\"shard_count\":4}", "shard_id: 4 is not below shard_count (4)",
         "shard_id"},
        {"{\"shard_count\":0}", "shard_count: expected a whole number from 1 to 65535, or \"auto\"",
         "shard_count"},
        {"{\"shard_count\":\"auto\",\"shard_id\":1}", "shard_id:", "shard_id"},
        {"{\"command_guilds\":[\"12x\"]}", "command_guilds: item 0:", "command_guilds"},
        {"{\"api_base\":\"http://api.invalid/api/v10\"}", "api_base: http:// is only allowed",
         "api_base"},
        {"{\"gateway_url\":\"ws://site.invalid\"}", "gateway_url: ws:// is only allowed",
         "gateway_url"},
        {"{\"gateway_url\":\"ws://127.0.0.1.other.invalid\"}", "gateway_url:", "gateway_url"},
        {"{\"api_base\":\"http://127.0.0.1:1@127.0.0.2:9/api\"}",
         "api_base: user-info (a name or password and '@' before the host) is not allowed: this "
         "URL would connect to \"127.0.0.2\"",
         "api_base"},
        {"{\"gateway_url\":\"ws://127.0.0.1:1@127.0.0.2:9/\"}", "gateway_url: user-info",
         "gateway_url"},
        {"{\"user_agent_url\":\"https://me:abc@site.invalid\"}", "user_agent_url: user-info",
         "user_agent_url"},
        {"{\"api_base\":7}", "api_base: expected a non-empty string", "api_base"},
        {"{\"gateway_url\":\"\"}", "gateway_url: expected a non-empty string", "gateway_url"},
        {"[1]", "expected an object", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lo_discord_settings s;
        char err[512] = "";
        CHECK(parse(cases[i].json, &s, err, sizeof err) == -1);
        if (!strstr(err, cases[i].expect))
            fprintf(stderr, "case %zu: got \"%s\"\n", i, err);
        CHECK(strstr(err, cases[i].expect) != NULL);
        CHECK(cases[i].key ? bad_key && strcmp(bad_key, cases[i].key) == 0 : bad_key == NULL);
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

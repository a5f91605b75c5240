/* test_config.c - the run config: defaults, a full file, errors with
 * file:line:column, refused secrets, listen addresses, secrets from the
 * environment or a *_FILE. */
#include "app/config.h"

#include <stdlib.h>
#include <unistd.h>

#include "../testing.h"

static char dir[] = "/tmp/leanon-config-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads text and expects it to fail with an error containing want. */
static void expect_error(const char *text, const char *want)
{
    char err[512] = "";
    lo_config *c = lo_config_load(write_file("bad.json", text), err, sizeof err);
    CHECK(c == NULL);
    if (!strstr(err, want))
        fprintf(stderr, "  error was: %s\n  wanted: %s\n", err, want);
    CHECK(strstr(err, want) != NULL);
    lo_config_free(c);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    char err[512];

    setenv("XDG_STATE_HOME", dir, 1);
    lo_config *c = lo_config_load(NULL, err, sizeof err);
    CHECK(c && c->webchat.enabled && c->listen_port == 8080);
    if (!c)
        TEST_MAIN_END();
    CHECK_STR(c->listen_host, "127.0.0.1");
    char want[512];
    snprintf(want, sizeof want, "%s/leanon/optout.sqlite", dir);
    CHECK_STR(c->optout_path, want); /* under $XDG_STATE_HOME, set below */
    CHECK_STR(lo_config_community(c, "anything")->prefix, "!leanon");
    CHECK(c->webchat.max_connections == 0 && c->webchat.max_tabs_per_address == 64);
    CHECK(c->webchat.idle_timeout == 600 && c->webchat.handshake_timeout == 10);
    lo_config_free(c);

    const char *full =
        "{\n"
        "  \"responses\": \"/srv/responses\",\n"
        "  \"optout_db\": \"/var/lib/leanon/optout.sqlite\",\n"
        "  \"listen\": \"[::1]:9090\",\n"
        "  \"log_level\": \"debug\",\n"
        "  \"defaults\": {\"region\": \"GB\", \"person_cooldown_seconds\": 30},\n"
        "  \"communities\": {\n"
        "    \"g1\": {\"region\": \"US\", \"prefix\": \"?lo\", \"listen_channels\": [\"support\", \"vent\"],\n"
        "           \"alert_channel\": \"mods\", \"channel_cooldown_seconds\": 5}\n"
        "  },\n"
        "  \"platforms\": {\"webchat\": {\"allowed_origins\": [\"https://chat.localhost\"],\n"
        "                               \"max_message_bytes\": 1000, \"max_connections\": 500,\n"
        "                               \"max_tabs_per_address\": 8, \"idle_timeout_seconds\": 120,\n"
        "                               \"handshake_timeout_seconds\": 5,\n"
        "                               \"allowed_hosts\": [\"chat.localhost\"]}}\n"
        "}\n";
    c = lo_config_load(write_file("full.json", full), err, sizeof err);
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->responses_dir, "/srv/responses");
        CHECK_STR(c->listen_host, "::1");
        CHECK(c->listen_port == 9090 && c->log_level == LO_LOG_DEBUG);
        const lo_community_settings *g1 = lo_config_community(c, "g1");
        CHECK_STR(g1->region, "US");
        CHECK_STR(g1->prefix, "?lo");
        CHECK(g1->listen_count == 2);
        CHECK_STR(g1->listen_channels[1], "vent");
        CHECK_STR(g1->alert_channel, "mods");
        CHECK(g1->person_cooldown == 30 && g1->channel_cooldown == 5); /* inherits defaults */
        const lo_community_settings *other = lo_config_community(c, "g2");
        CHECK_STR(other->region, "GB");
        CHECK_STR(other->prefix, "!leanon");
        CHECK(c->webchat.enabled && c->webchat.origin_count == 1);
        CHECK_STR(c->webchat.allowed_origins[0], "https://chat.localhost");
        CHECK(c->webchat.max_message_bytes == 1000);
        CHECK(c->webchat.max_connections == 500 && c->webchat.max_tabs_per_address == 8);
        CHECK(c->webchat.idle_timeout == 120 && c->webchat.handshake_timeout == 5);
        CHECK(c->webchat.host_count == 1);
        CHECK_STR(c->webchat.allowed_hosts[0], "chat.localhost");
        lo_config_free(c);
    }

    /* Errors name file, line and column. */
    expect_error("{\n  \"listen\": \"127.0.0.1:8080\",\n  \"log_level\": 3\n}\n",
                 "bad.json:3:16: error: log_level: expected a non-empty string");
    expect_error("{\n  \"communities\": {\n    \"g1\": {\"regoin\": \"US\"}\n  }\n}\n",
                 "bad.json:3:22: error: communities.g1.regoin: unknown setting");
    expect_error(
        "{\n  \"communities\": {\"g1\": {\"listen_channels\": [\"a\", 7]}}\n}\n",
        "bad.json:2:51: error: communities.g1.listen_channels.1: expected a non-empty string");
    expect_error("{\n  \"listen\": \"localhost\"\n}\n",
                 "bad.json:2:13: error: listen: expected \"ADDRESS:PORT\"");
    expect_error("{\"defaults\": {\"person_cooldown_seconds\": -1}}",
                 "1:42: error: defaults.person_cooldown_seconds");
    expect_error("{\n  \"listen\": \"127.0.0.1:8080\",\n}\n",
                 "bad.json:3:1: error:"); /* jansson's own */
    expect_error("{\"a\": 1, \"a\": 2}", "duplicate");
    /* jpos-escaped-key: an error under a key written with escapes points at its value */
    expect_error("{\"communities\": {\"a\\u0062\": {\"bogus\": 1}}}",
                 "bad.json:1:39: error: communities.ab.bogus: unknown setting; the settings are "
                 "described in docs/running.md");
    expect_error(
        "{\"communities\": {\"\\u00e9quipe\": {\"region\": 7}}}",
        "bad.json:1:44: error: communities.\xC3\xA9quipe.region: expected a non-empty string");
    expect_error("{\"platforms\": {\"slack\": {}}}", "not available in this build");
    expect_error("{\"platforms\": {\"discord\": {\"shard_id\": 3, \"shard_count\": 2}}}",
                 "1:40: error: platforms.discord.shard_id: 3 is not below shard_count (2)");
    expect_error("{\"platforms\": {\"discord\": {\"token\": \"abc\"}}}",
                 "token: secrets never go in the config file");
    expect_error("{\"communities\": {\"g\": {\"alert_include_text\": \"yes\"}}}",
                 "communities.g.alert_include_text: expected true or false");
    {
        lo_config *d = lo_config_load(
            write_file("discord.json", "{\"platforms\": {\"discord\": {\"shard_count\": \"auto\"}},"
                                       " \"communities\": {\"30\": {\"alert_channel\": \"700\","
                                       " \"alert_include_text\": true}}}"),
            err, sizeof err);
        CHECK(d != NULL);
        CHECK(d && d->discord_enabled && d->discord.shard_auto);
        CHECK_STR(d ? d->discord.token_env : NULL, "LEANON_DISCORD_TOKEN");
        CHECK(d && !d->webchat.enabled); /* only the platforms listed run */
        CHECK(d && lo_config_community(d, "30")->alert_include_text);
        CHECK(d && !lo_config_community(d, "31")->alert_include_text);
        lo_config_free(d);
    }
    expect_error("{\"platforms\": {\"webchat\": {\"token\": \"abc\"}}}",
                 "secrets are not read from the config file");
    expect_error("{\"bot_token\": \"abc\"}", "secrets are not read");
    expect_error("[1, 2]", "must be one JSON object");
    /* the web chat's limits are range-checked */
    expect_error("{\"platforms\": {\"webchat\": {\"idle_timeout_seconds\": 0}}}",
                 "platforms.webchat.idle_timeout_seconds");
    expect_error("{\"platforms\": {\"webchat\": {\"handshake_timeout_seconds\": 301}}}",
                 "platforms.webchat.handshake_timeout_seconds");
    expect_error("{\"platforms\": {\"webchat\": {\"max_tabs_per_address\": -1}}}",
                 "platforms.webchat.max_tabs_per_address");
    expect_error("{\"platforms\": {\"webchat\": {\"allowed_hosts\": [\"\"]}}}",
                 "platforms.webchat.allowed_hosts");
    c = lo_config_load("/nonexistent/leanon.json", err, sizeof err);
    CHECK(c == NULL && strstr(err, "/nonexistent/leanon.json: cannot open"));

    char host[64];
    int port;
    CHECK(lo_config_parse_listen("0.0.0.0:80", host, sizeof host, &port) == 0 && port == 80);
    CHECK_STR(host, "0.0.0.0");
    CHECK(lo_config_parse_listen("127.0.0.1:99999", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen("127.0.0.1:", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen(":80", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen("::1:80", host, sizeof host, &port) == -1);

    /* Secrets: the variable, else <NAME>_FILE. */
    unsetenv("LEANON_TEST_TOKEN");
    unsetenv("LEANON_TEST_TOKEN_FILE");
    CHECK(lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err) == NULL);
    CHECK(strstr(err, "LEANON_TEST_TOKEN_FILE") != NULL);
    setenv("LEANON_TEST_TOKEN_FILE", write_file("token", "s3cret\n"), 1);
    char *secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "s3cret");
    free(secret);
    setenv("LEANON_TEST_TOKEN", "from-env", 1);
    secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "from-env");
    free(secret);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    TEST_MAIN_END();
}

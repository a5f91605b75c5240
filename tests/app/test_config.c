/* test_config.c - the run config: defaults, a full file, errors with
 * file:line:column (at the key for an unknown or secret key, at the value for a
 * wrong one) and a "did you mean", refused secrets, listen addresses, secrets from the
 * environment or a *_FILE. */
#include "app/config.h"

#include <stdlib.h>
#include <unistd.h>

#include "../testing.h"

static char dir[] = "/tmp/leanon-config-XXXXXX";

/* Loads text and expects it to fail with an error containing want. */
static void expect_error(const char *text, const char *want)
{
    char err[512] = "";
    lo_config *c = lo_config_load(test_write_file(dir, "bad.json", text), err, sizeof err);
    CHECK(c == NULL);
    if (!strstr(err, want))
        fprintf(stderr, "  error was: %s\n  wanted: %s\n", err, want);
    CHECK(strstr(err, want) != NULL);
    lo_config_free(c);
}

/* No file: the web chat on 127.0.0.1:8080, the opt-out store under $XDG_STATE_HOME. */
static void test_defaults(void)
{
    char err[512];
    lo_config *c = lo_config_load(NULL, err, sizeof err);
    CHECK(c && c->webchat.enabled && c->listen_port == 8080);
    if (!c)
        return;
    CHECK_STR(c->listen_host, "127.0.0.1");
    CHECK(strcmp(lo_config_community(c, "anything")->prefix, "!leanon") == 0);
    CHECK(c->webchat.max_connections == 0 && c->webchat.max_tabs_per_address == 64);
    CHECK(c->webchat.idle_timeout == 600 && c->webchat.handshake_timeout == 10);
    lo_config_free(c);
}

/* The opt-out store is under $XDG_STATE_HOME (set by main). */
static void test_default_optout(void)
{
    char err[512], want[512];
    lo_config *c = lo_config_load(NULL, err, sizeof err);
    snprintf(want, sizeof want, "%s/leanon/optout.sqlite", dir);
    CHECK_STR(c->optout_path, want);
    lo_config_free(c);
}

static void check_full_top(const lo_config *c)
{
    CHECK_STR(c->responses_dir, "/srv/responses");
    CHECK_STR(c->listen_host, "::1");
    CHECK(c->listen_port == 9090 && c->log_level == LO_LOG_DEBUG);
}

static void check_full_communities(const lo_config *c)
{
    const lo_community_settings *g1 = lo_config_community(c, "g1");
    CHECK_STR(g1->region, "US");
    CHECK(strcmp(g1->prefix, "?lo") == 0);
    CHECK(g1->listen_count == 2 && strcmp(g1->listen_channels[1], "vent") == 0);
    CHECK_STR(g1->alert_channel, "mods");
    CHECK(g1->person_cooldown == 30 && g1->channel_cooldown == 5); /* inherits defaults */
}

static void check_full_other_community(const lo_config *c)
{
    const lo_community_settings *other = lo_config_community(c, "g2");
    CHECK_STR(other->region, "GB");
    CHECK_STR(other->prefix, "!leanon");
}

static void check_full_webchat(const lo_webchat_config *w)
{
    CHECK(w->enabled && w->origin_count == 1);
    CHECK_STR(w->allowed_origins[0], "http://127.0.0.2:8080");
}

static void check_full_webchat_limits(const lo_webchat_config *w)
{
    CHECK(w->max_message_chars == 1000);
    CHECK(w->max_connections == 500 && w->max_tabs_per_address == 8);
    CHECK(w->idle_timeout == 120 && w->handshake_timeout == 5);
    CHECK(w->host_count == 1 && strcmp(w->allowed_hosts[0], "127.0.0.2") == 0);
}

/* Every key of a full file reaches the settings; communities inherit the defaults. */
static void test_full(void)
{
    char err[512];
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
        "  \"platforms\": {\"webchat\": {\"allowed_origins\": [\"http://127.0.0.2:8080\"],\n"
        "                               \"max_message_chars\": 1000, \"max_connections\": 500,\n"
        "                               \"max_tabs_per_address\": 8, \"idle_timeout_seconds\": 120,\n"
        "                               \"handshake_timeout_seconds\": 5,\n"
        "                               \"allowed_hosts\": [\"127.0.0.2\"]}}\n"
        "}\n";
    lo_config *c = lo_config_load(test_write_file(dir, "full.json", full), err, sizeof err);
    CHECK(c != NULL);
    if (!c)
        return;
    check_full_top(c);
    check_full_communities(c);
    check_full_other_community(c);
    check_full_webchat(&c->webchat);
    check_full_webchat_limits(&c->webchat);
    lo_config_free(c);
}

/* Errors name file, line and column: at the key for an unknown key, else at the value. */
static void test_errors(void)
{
    /* Errors name file, line and column. */
    expect_error("{\n  \"listen\": \"127.0.0.1:8080\",\n  \"log_level\": 3\n}\n",
                 "bad.json:3:16: error: \"log_level\" must be a non-empty text in quotes");
    expect_error(
        "{\n  \"communities\": {\n    \"g1\": {\"regoin\": \"US\"}\n  }\n}\n",
        "bad.json:3:12: error: unknown key \"regoin\" in communities.g1; did you mean \"region\"? "
        "(allowed: \"region\", \"prefix\", \"listen_channels\", \"alert_channel\", "
        "\"alert_include_text\", \"people_contact\", \"person_cooldown_seconds\", "
        "\"channel_cooldown_seconds\")");
    expect_error("{\n  \"communities\": {\"g1\": {\"listen_channels\": [\"a\", 7]}}\n}\n",
                 "bad.json:2:51: error: item 2 of \"listen_channels\" must be a text in quotes");
    expect_error("{\n  \"listen\": \"localhost\"\n}\n",
                 "bad.json:2:13: error: \"listen\" must be \"ADDRESS:PORT\"");
    expect_error("{\"defaults\": {\"person_cooldown_seconds\": -1}}",
                 "1:42: error: \"person_cooldown_seconds\" must be a whole number from 0 to 86400");
    expect_error("{\n  \"listen\": \"127.0.0.1:8080\",\n}\n",
                 "bad.json:2:29: error: trailing comma: JSON allows no comma after the last "
                 "item before }; remove this comma"); /* at the comma, not where jansson stopped */
    expect_error("{\"a\": 1, \"a\": 2}", "duplicate");
}

/* Errors under escaped keys, in platforms and in the discord section. */
static void test_more_errors(void)
{
    /* jpos-escaped-key: an error under a key written with escapes points at the key */
    expect_error("{\"communities\": {\"a\\u0062\": {\"bogus\": 1}}}",
                 "bad.json:1:30: error: unknown key \"bogus\" in communities.ab; remove it or use "
                 "one of \"region\", ");
    expect_error("{\"communities\": {\"\\u00e9quipe\": {\"region\": 7}}}",
                 "bad.json:1:44: error: \"region\" must be a non-empty text in quotes");
    expect_error(
        "{\"platforms\": {\"slack\": {}}}",
        "bad.json:1:16: error: unknown key \"slack\" in platforms; remove it or use one of "
        "\"webchat\", \"discord\"");
    expect_error("{\"platforms\": {\"discrod\": {}}}", "did you mean \"discord\"?");
    expect_error(
        "{\"platforms\": {\"discord\": {\"shard_id\": 3, \"shard_count\": 2}}}",
        "1:40: error: \"shard_id\" must be below shard_count (2), not 3 (see docs/discord.md)");
    expect_error("{\"platforms\": {\"discord\": {\"token\": \"abc\"}}}",
                 "1:28: error: \"token\": secrets never go in the config file");
    expect_error("{\"communities\": {\"g\": {\"alert_include_text\": \"yes\"}}}",
                 "1:46: error: \"alert_include_text\" must be true or false");
    expect_error("{\"platforms\": {\"webchat\": {\"token\": \"abc\"}}}",
                 "1:28: error: \"token\": secrets are not read from the config file");
    expect_error("{\"bot_token\": \"abc\"}", "1:2: error: \"bot_token\": secrets are not read");
    expect_error("[1, 2]", "bad.json:1:1: error: the config file must be one JSON object");
}

/* A discord section runs Discord alone, with its settings. */
static void test_discord_section(void)
{
    char err[512];
    lo_config *d =
        lo_config_load(test_write_file(dir, "discord.json",
                                       "{\"platforms\": {\"discord\": {\"shard_count\": \"auto\"}},"
                                       " \"communities\": {\"30\": {\"alert_channel\": \"700\","
                                       " \"alert_include_text\": true,"
                                       " \"people_contact\": \"Write in #helpers\"}}}"),
                       err, sizeof err);
    CHECK(d != NULL);
    CHECK(d && d->discord_enabled && d->discord.shard_auto);
    CHECK_STR(d ? d->discord.token_env : NULL, "LEANON_DISCORD_TOKEN");
    CHECK(d && !d->webchat.enabled); /* only the platforms listed run */
    CHECK(d && lo_config_community(d, "30")->alert_include_text &&
          !lo_config_community(d, "31")->alert_include_text);
    CHECK_STR(d ? lo_config_community(d, "30")->people_contact : NULL, "Write in #helpers");
    CHECK(d && lo_config_community(d, "31")->people_contact == NULL);
    lo_config_free(d);
}

/* The web chat's limits are range-checked; a missing file says why. */
static void test_limits(void)
{
    char err[512];
    expect_error("{\"platforms\": {\"webchat\": {\"idle_timeout_seconds\": 0}}}",
                 "1:52: error: \"idle_timeout_seconds\" must be a whole number from 1 to 86400");
    expect_error("{\"platforms\": {\"webchat\": {\"handshake_timeout_seconds\": 301}}}",
                 "1:57: error: \"handshake_timeout_seconds\" must be a whole number from 1 to 300");
    expect_error("{\"platforms\": {\"webchat\": {\"max_tabs_per_address\": -1}}}",
                 "1:52: error: \"max_tabs_per_address\" must be a whole number from 0 to 1000000");
    expect_error("{\"platforms\": {\"webchat\": {\"allowed_hosts\": [\"\"]}}}",
                 "1:46: error: item 1 of \"allowed_hosts\" is empty; write a text or remove it");
    lo_config *c = lo_config_load("/nonexistent/leanon.json", err, sizeof err);
    CHECK(c == NULL);
    CHECK_STR(err,
              "/nonexistent/leanon.json: error: cannot read this file (No such file or directory)");
}

/* Listen addresses: ADDRESS:PORT, [IPv6]:PORT. */
static void test_listen(void)
{
    char host[64];
    int port;
    CHECK(lo_config_parse_listen("0.0.0.0:80", host, sizeof host, &port) == 0 && port == 80);
    CHECK_STR(host, "0.0.0.0");
    CHECK(lo_config_parse_listen("127.0.0.1:99999", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen("127.0.0.1:", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen(":80", host, sizeof host, &port) == -1);
    CHECK(lo_config_parse_listen("::1:80", host, sizeof host, &port) == -1);
}

/* Secrets: the variable, else <NAME>_FILE (a file that cannot be read says why). */
static void test_secrets(void)
{
    char err[512];
    unsetenv("LEANON_TEST_TOKEN");
    unsetenv("LEANON_TEST_TOKEN_FILE");
    CHECK(lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err) == NULL);
    CHECK(strstr(err, "LEANON_TEST_TOKEN_FILE") != NULL);
}

/* A secret from a file, or from the variable first when both are set. */
static void test_secret_file(void)
{
    char err[512];
    setenv("LEANON_TEST_TOKEN_FILE", "/nonexistent/token", 1);
    CHECK(lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err) == NULL);
    CHECK_STR(err, "/nonexistent/token: cannot read: No such file or directory");
    setenv("LEANON_TEST_TOKEN_FILE", test_write_file(dir, "token", "s3cret\n"), 1);
    char *secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "s3cret");
    free(secret);
    setenv("LEANON_TEST_TOKEN", "from-env", 1);
    secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "from-env");
    free(secret);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    setenv("XDG_STATE_HOME", dir, 1);
    test_defaults();
    test_default_optout();
    test_full();
    test_errors();
    test_more_errors();
    test_discord_section();
    test_limits();
    test_listen();
    test_secrets();
    test_secret_file();
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}

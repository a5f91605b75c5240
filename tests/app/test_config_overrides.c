/* test_config_overrides.c - settings from the environment or the command line over the config
 * file: the region replaces the defaults' (inherited by communities without their own, not by
 * those with one) and every region is kept with its place for the check against the response
 * set; listen, log level and format, and the opt-out store are replaced; a wrong override is
 * "ORIGIN: error: ..."; lo_config_overrides_from_env fills only what is not given yet; systemd's
 * $STATE_DIRECTORY holds the default opt-out store; $CREDENTIALS_DIRECTORY holds secrets. */
#include "app/config.h"

#include <stdlib.h>
#include <unistd.h>

#include "../testing.h"

static char dir[] = "/tmp/leanon-overrides-XXXXXX";

static void test_region(void)
{
    const char *path =
        test_write_file(dir, "c.json",
                        "{\"defaults\": {\"region\": \"US\"},\n"
                        " \"communities\": {\"a\": {\"region\": \"GB\"}, \"b\": {}}}");
    lo_config_overrides over = {.region = {"AU", "LEANON_REGION"}};
    char err[512] = "";
    lo_config *c = lo_config_load_with(path, &over, err, sizeof err);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_STR(c->defaults.region, "AU");
    CHECK_STR(lo_config_community(c, "a")->region, "GB");
    CHECK_STR(lo_config_community(c, "b")->region, "AU");
    CHECK(c->region_count == 3);
    if (c->region_count == 3) {
        char want[600];
        snprintf(want, sizeof want, "%s:1:25", path);
        CHECK_STR(c->regions[0].code, "US");
        CHECK_STR(c->regions[0].where, want);
        CHECK_STR(c->regions[1].code, "AU");
        CHECK_STR(c->regions[1].where, "LEANON_REGION");
        snprintf(want, sizeof want, "%s:2:34", path);
        CHECK_STR(c->regions[2].code, "GB");
        CHECK_STR(c->regions[2].where, want);
    }
    lo_config_free(c);
}

static void test_settings(void)
{
    lo_config_overrides over = {.listen = {"[::1]:9000", "--listen"},
                                .log_level = {"warn", "LEANON_LOG_LEVEL"},
                                .log_format = {"json", "--log-format"},
                                .optout_db = {"/srv/optout.sqlite", "LEANON_OPTOUT_DB"}};
    char err[512] = "";
    lo_config *c = lo_config_load_with(NULL, &over, err, sizeof err);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_STR(c->listen_host, "::1");
    CHECK(c->listen_port == 9000 && c->log_level == LO_LOG_WARN && c->log_format == LO_LOG_JSON);
    CHECK_STR(c->optout_path, "/srv/optout.sqlite");
    lo_config_free(c);

    lo_config_overrides wrong = {.log_format = {"xml", "--log-format"}};
    c = lo_config_load_with(NULL, &wrong, err, sizeof err);
    CHECK(c == NULL);
    CHECK_STR(err, "--log-format: error: \"xml\" must be logfmt or json");
}

/* A StatefulSet pod's ordinal picks the Discord shard; shard_count stays the config's. */
static void test_shard_id(void)
{
    const char *path =
        test_write_file(dir, "d.json", "{\"platforms\": {\"discord\": {\"shard_count\": 3}}}");
    lo_config_overrides over = {.discord_shard_id = {"2", "LEANON_DISCORD_SHARD_ID"}};
    char err[512] = "";
    lo_config *c = lo_config_load_with(path, &over, err, sizeof err);
    CHECK(c && c->discord.shard_id == 2 && c->discord.shard_count == 3);
    lo_config_free(c);
    over.discord_shard_id.value = "1x";
    c = lo_config_load_with(path, &over, err, sizeof err);
    CHECK(c == NULL);
    CHECK_STR(err, "LEANON_DISCORD_SHARD_ID: error: \"1x\" must be a whole number below "
                   "shard_count (3)");
}

static void test_from_env(void)
{
    setenv("LEANON_LISTEN", "127.0.0.1:7000", 1);
    setenv("LEANON_REGION", "", 1); /* empty: not given */
    setenv("LEANON_LOG_FORMAT", "json", 1);
    lo_config_overrides over = {.log_format = {"logfmt", "--log-format"}};
    lo_config_overrides_from_env(&over);
    CHECK_STR(over.listen.value, "127.0.0.1:7000");
    CHECK_STR(over.listen.origin, "LEANON_LISTEN");
    CHECK(over.region.value == NULL);
    CHECK_STR(over.log_format.value, "logfmt"); /* the command line wins */
    CHECK_STR(over.log_format.origin, "--log-format");
    unsetenv("LEANON_LISTEN");
    unsetenv("LEANON_REGION");
    unsetenv("LEANON_LOG_FORMAT");
}

static void test_state_directory(void)
{
    setenv("STATE_DIRECTORY", dir, 1);
    char *path = lo_default_optout_path();
    char want[600];
    snprintf(want, sizeof want, "%s/optout.sqlite", dir);
    CHECK_STR(path, want);
    free(path);
    unsetenv("STATE_DIRECTORY");
}

/* systemd's LoadCredential=: the secret from $CREDENTIALS_DIRECTORY/<NAME> when neither the
 * variable nor <NAME>_FILE is set; <NAME>_FILE comes first. */
static void test_credentials(void)
{
    char err[512] = "";
    test_write_file(dir, "LEANON_TEST_TOKEN", "from-credential\n");
    setenv("CREDENTIALS_DIRECTORY", dir, 1);
    unsetenv("LEANON_TEST_TOKEN");
    unsetenv("LEANON_TEST_TOKEN_FILE");
    char *secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "from-credential");
    free(secret);
    setenv("LEANON_TEST_TOKEN_FILE", test_write_file(dir, "file", "from-file"), 1);
    secret = lo_config_secret("LEANON_TEST_TOKEN", err, sizeof err);
    CHECK_STR(secret, "from-file");
    free(secret);
    unsetenv("LEANON_TEST_TOKEN_FILE");
    secret = lo_config_secret("LEANON_OTHER_TOKEN", err, sizeof err);
    CHECK(secret == NULL);
    CHECK(strstr(err, "/LEANON_OTHER_TOKEN") != NULL); /* the credential file it tried */
    unsetenv("CREDENTIALS_DIRECTORY");
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    setenv("XDG_STATE_HOME", dir, 1);
    test_region();
    test_settings();
    test_shard_id();
    test_from_env();
    test_state_directory();
    test_credentials();
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}

/* test_run.c - `leanon run --config FILE` with a discord section, against the fake Discord on
 * loopback, with the shipped response set: the token comes from LEANON_DISCORD_TOKEN_FILE; a
 * mention gets a reply to that message; a crisis in a listen channel gets the public reply with
 * the DM offer and a moderators' alert with link and category but not the words; /leanon
 * helpline and /leanon stop are answered ephemerally, and after stop the person is left alone;
 * a DM (a crisis: answered, no alert) and the prefix command are answered; no send pings anyone but the person replied to;
 * SIGTERM exits 0; the log holds neither the token nor anyone's words. */
#include "fakes/discord_fake.h"
#include "testing.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOKEN "run-test-token.secret"

typedef struct world {
    uv_loop_t loop;
    uv_timer_t pulse;
    discord_fake *fake;
} world;

static void on_pulse(uv_timer_t *timer)
{
    (void)timer;
}

static bool wait_messages(world *w, unsigned want, uint64_t timeout_ms)
{
    uint64_t deadline = uv_now(&w->loop) + timeout_ms;
    while (discord_fake_messages(w->fake) < want && uv_now(&w->loop) < deadline)
        uv_run(&w->loop, UV_RUN_ONCE);
    return discord_fake_messages(w->fake) >= want;
}

static bool wait_ready(world *w, uint64_t timeout_ms)
{
    uint64_t deadline = uv_now(&w->loop) + timeout_ms;
    while (!discord_fake_ready(w->fake) && uv_now(&w->loop) < deadline)
        uv_run(&w->loop, UV_RUN_ONCE);
    return discord_fake_ready(w->fake);
}

static void settle(world *w, uint64_t ms)
{
    uint64_t deadline = uv_now(&w->loop) + ms;
    while (uv_now(&w->loop) < deadline)
        uv_run(&w->loop, UV_RUN_ONCE);
}

static json_t *message(const char *id, const char *channel, const char *author, const char *text,
                       bool mention)
{
    json_t *d = json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:s}, s:s, s:[]}", "id", id, "type", 0,
                          "channel_id", channel, "guild_id", "30", "author", "id", author,
                          "username", "person", "content", text, "mentions");
    if (mention)
        json_array_append_new(json_object_get(d, "mentions"),
                              json_pack("{s:s}", "id", DISCORD_FAKE_BOT_ID));
    return d;
}

static json_t *slash(const char *id, const char *author, const char *subcommand)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:{s:{s:s}}, s:{s:s, s:[{s:i, s:s}]}}", "id",
                     id, "application_id", DISCORD_FAKE_APP_ID, "type", 2, "token",
                     "run-interaction-token", "channel_id", "20", "guild_id", "30", "member",
                     "user", "id", author, "data", "name", "leanon", "options", "type", 1, "name",
                     subcommand);
}

static const json_t *find(world *w, const char *path_prefix, unsigned from)
{
    for (unsigned i = from; i < discord_fake_messages(w->fake); i++) {
        const char *path;
        const json_t *body = discord_fake_message(w->fake, i, &path);
        if (strncmp(path, path_prefix, strlen(path_prefix)) == 0)
            return body;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_discord_run LEANON_BINARY\n");
        return 2;
    }
    char dir[] = "/tmp/leanon-discord-run-XXXXXX", path[512];
    CHECK(mkdtemp(dir) != NULL);

    world w;
    uv_loop_init(&w.loop);
    uv_timer_init(&w.loop, &w.pulse);
    uv_timer_start(&w.pulse, on_pulse, 5, 5);
    discord_fake_config fc = {.heartbeat_interval_ms = 41250};
    w.fake = discord_fake_start(&w.loop, &fc);

    snprintf(path, sizeof path, "%s/token", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "%s\n", TOKEN);
    fclose(f);
    setenv("LEANON_DISCORD_TOKEN_FILE", path, 1);
    unsetenv("LEANON_DISCORD_TOKEN");
    char config[600], log_path[600];
    snprintf(config, sizeof config, "%s/leanon.json", dir);
    snprintf(log_path, sizeof log_path, "%s/leanon.log", dir);
    f = fopen(config, "w");
    fprintf(
        f,
        "{\"optout_db\": \"%s/optout.sqlite\", \"listen\": \"127.0.0.1:0\",\n"
        " \"platforms\": {\"discord\": {\"api_base\": \"%s\", \"command_guilds\": [\"30\"]}},\n"
        " \"communities\": {\"30\": {\"listen_channels\": [\"22\"], \"alert_channel\": \"700\"}}}\n",
        dir, discord_fake_api_base(w.fake));
    fclose(f);

    pid_t bot = fork();
    if (bot == 0) {
        FILE *out = freopen(log_path, "w", stderr);
        (void)out;
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execl(argv[1], argv[1], "run", "--config", config, (char *)NULL);
        _exit(127);
    }
    CHECK(wait_ready(&w, 20000));
    CHECK_STR(discord_fake_counts_of(w.fake).last_token, TOKEN);

    /* a mention: a reply to that message from the shipped set */
    discord_fake_dispatch(w.fake, "MESSAGE_CREATE",
                          message("101", "20", "40", "<@999> hello there", true));
    CHECK(wait_messages(&w, 1, 15000));
    const json_t *reply = find(&w, "/channels/20/messages", 0);
    CHECK(reply != NULL);
    CHECK_STR(json_string_value(
                  json_object_get(json_object_get(reply, "message_reference"), "message_id")),
              "101");
    CHECK(json_string_length(json_object_get(reply, "content")) > 0);

    /* a crisis in the listen channel, unaddressed: public reply with the DM offer, and an alert */
    discord_fake_dispatch(w.fake, "MESSAGE_CREATE",
                          message("102", "22", "41", "I want to kill myself", false));
    CHECK(wait_messages(&w, 3, 15000));
    const json_t *crisis = find(&w, "/channels/22/messages", 1);
    const json_t *alert = find(&w, "/channels/700/messages", 1);
    CHECK(crisis &&
          strstr(json_string_value(json_object_get(crisis, "content")), "direct message"));
    CHECK(alert && strstr(json_string_value(json_object_get(alert, "content")),
                          "https://discord.com/channels/30/22/102"));
    CHECK(alert && strstr(json_string_value(json_object_get(alert, "content")), "crisis-"));
    CHECK(alert && !strstr(json_string_value(json_object_get(alert, "content")), "kill myself"));

    /* /leanon helpline, then /leanon stop: both ephemeral; then the person is left alone */
    discord_fake_dispatch(w.fake, "INTERACTION_CREATE", slash("801", "42", "helpline"));
    CHECK(wait_messages(&w, 4, 15000));
    const json_t *helpline = find(&w, "/interactions/801/", 3);
    CHECK(helpline != NULL);
    CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(helpline, "data"), "flags")),
                 64);
    discord_fake_dispatch(w.fake, "INTERACTION_CREATE", slash("802", "43", "stop"));
    CHECK(wait_messages(&w, 5, 15000));
    const json_t *stop = find(&w, "/interactions/802/", 4);
    CHECK(stop != NULL);
    CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(stop, "data"), "flags")), 64);
    const char *stop_text =
        json_string_value(json_object_get(json_object_get(stop, "data"), "content"));
    CHECK(stop_text && strstr(stop_text, "you have opted out") &&
          strstr(stop_text, "until you write \"!leanon start\""));
    discord_fake_dispatch(w.fake, "MESSAGE_CREATE",
                          message("103", "20", "43", "<@999> hello again", true));
    settle(&w, 1500);
    CHECK_EQ_U64(discord_fake_messages(w.fake), 5);

    /* a DM (no guild) and the prefix in a channel, no mention: both answered */
    json_t *dm = message("104", "25", "47", "I want to kill myself", false);
    json_object_del(dm, "guild_id");
    discord_fake_dispatch(w.fake, "MESSAGE_CREATE", dm);
    CHECK(wait_messages(&w, 6, 15000));
    CHECK(find(&w, "/channels/25/messages", 5) != NULL);
    CHECK(find(&w, "/channels/700/messages", 5) == NULL); /* no alert for a DM */
    discord_fake_dispatch(w.fake, "MESSAGE_CREATE",
                          message("105", "26", "48", "!leanon help", false));
    CHECK(wait_messages(&w, 7, 15000));
    CHECK(find(&w, "/channels/26/messages", 6) != NULL);
    CHECK(find(&w, "/channels/700/messages", 5) == NULL);

    /* every send pinged nobody but, at most, the person replied to */
    for (unsigned i = 0; i < discord_fake_messages(w.fake); i++) {
        const char *where;
        const json_t *body = discord_fake_message(w.fake, i, &where);
        const json_t *data =
            strncmp(where, "/interactions/", 14) == 0 ? json_object_get(body, "data") : body;
        const json_t *parse = json_object_get(json_object_get(data, "allowed_mentions"), "parse");
        CHECK(json_is_array(parse) && json_array_size(parse) == 0);
    }

    /* registered in the configured guild */
    const fake_http *rest = discord_fake_rest(w.fake);
    bool registered = false;
    for (unsigned i = 0; i < fake_http_count(rest); i++)
        registered |= strcmp(fake_http_request(rest, i)->path,
                             "/api/v10/applications/555/guilds/30/commands") == 0;
    CHECK(registered);

    kill(bot, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(bot, &status, WNOHANG) == 0; i++)
        settle(&w, 100);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    char log[65536] = "";
    f = fopen(log_path, "r");
    size_t n = f ? fread(log, 1, sizeof log - 1, f) : 0;
    log[n] = '\0';
    if (f)
        fclose(f);
    CHECK(strstr(log, "gateway.ready") != NULL);
    CHECK(strstr(log, TOKEN) == NULL);
    CHECK(strstr(log, "run-interaction-token") == NULL);
    CHECK(strstr(log, "kill myself") == NULL);
    CHECK(strstr(log, "!leanon help") == NULL);
    CHECK(strstr(log, "hello there") == NULL);

    discord_fake_stop(w.fake);
    uv_close((uv_handle_t *)&w.pulse, NULL);
    uv_run(&w.loop, UV_RUN_DEFAULT);
    CHECK(uv_loop_close(&w.loop) == 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    TEST_MAIN_END();
}

/* fuzz_discord_rest.c - the Discord REST bodies and paths (discord_rest.c, discord_split.c,
 * discord_alert.c) on fuzzed wire strings. Input: line 1 is an interaction token (it arrives in
 * INTERACTION_CREATE and goes into a path), line 2 a rule id (for the feedback button), the rest
 * a reply text. The text is split into Discord-sized pieces (2,000, and a tiny limit to stress
 * the cutting), each 2,000 piece becomes every kind of message call, and an alert quotes the
 * text. Tokens must never reach the route, major or order key (which may be logged), and a path
 * must stay one path (no "." or ".." segment, no query). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "platforms/discord_alert.h"
#include "platforms/discord_rest.h"
#include "platforms/discord_split.h"

static void check_call(const lo_discord_call *call, const char *token)
{
    FUZZ_CHECK(call->body != NULL && call->request.path == call->path);
    /* a token of allowed characters may hold ".." but must never be a "." or ".." segment */
    FUZZ_CHECK(strstr(call->path, "/../") == NULL && strstr(call->path, "/./") == NULL);
    FUZZ_CHECK(strchr(call->path, '?') == NULL);
    if (strlen(token) >= 8) {
        FUZZ_CHECK(strstr(call->route, token) == NULL);
        FUZZ_CHECK(strstr(call->major, token) == NULL);
        FUZZ_CHECK(strstr(call->order_key, token) == NULL);
    }
    char *body = json_dumps(call->body, JSON_COMPACT);
    FUZZ_CHECK(body != NULL);
    free(body);
}

static void send_piece(const char *piece, size_t n, const char *token, const char *rule)
{
    lo_discord_call call;
    if (lo_discord_call_create_message(&call, "123", piece, n, "456", "789", "fuzz-nonce")) {
        check_call(&call, token);
        const char *content = json_string_value(json_object_get(call.body, "content"));
        FUZZ_CHECK(content && json_string_length(json_object_get(call.body, "content")) == n &&
                   memcmp(content, piece, n) == 0);
        if (lo_discord_call_add_feedback_button(&call, rule))
            check_call(&call, token);
    }
    lo_discord_call_clear(&call);
    for (int ephemeral = 0; ephemeral < 2; ephemeral++) {
        if (lo_discord_call_interaction_reply(&call, "1", token, piece, n, ephemeral))
            check_call(&call, token);
        lo_discord_call_clear(&call);
        if (lo_discord_call_followup(&call, "2", "1", token, piece, n, ephemeral))
            check_call(&call, token);
        lo_discord_call_clear(&call);
    }
}

/* Cuts text into pieces of at most limit characters; sends each when token is given. */
static void split(const char *text, size_t len, size_t limit, const char *token, const char *rule)
{
    size_t offset = 0, start = 0, n;
    while ((n = lo_discord_split_next(text, len, &offset, limit, &start)) > 0) {
        FUZZ_CHECK(start + n <= len && offset >= start + n && n <= 4 * limit);
        if (token)
            send_piece(text + start, n, token, rule);
    }
    FUZZ_CHECK(offset <= len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    size_t token_len = 0, rule_len = 0;
    const char *token = fuzz_next_line(&p, end, &token_len);
    const char *rule = fuzz_next_line(&p, end, &rule_len);
    char *tok = fuzz_strndup((const uint8_t *)(token ? token : ""), token_len);
    char *rule_id = fuzz_strndup((const uint8_t *)(rule ? rule : ""), rule_len);
    const char *text = (const char *)p;
    size_t len = (size_t)(end - p);

    split(text, len, LO_DISCORD_MESSAGE_LIMIT, tok, rule_id);
    split(text, len, 7, NULL, NULL);

    char *alert = lo_discord_alert_content("123", "456", tok, rule_id, text, len);
    if (alert)
        free(alert);
    char link[256];
    lo_discord_jump_link(link, sizeof link, rule_id, "456", tok);
    FUZZ_CHECK(memchr(link, '\0', sizeof link) != NULL);
    free(tok);
    free(rule_id);
    return 0;
}

/* fuzz_config.c - the config file of `leanon run` (src/app/config.c): the input is the file.
 * It must load or be refused with a "file:line:column" reason; a loaded config must find each
 * of its communities' settings, and fall back to the defaults for an unknown one. The first
 * line also goes through the "ADDR:PORT" listen parser. Opt-out paths land in a temp dir. */
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "fuzz.h"

static char path[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *dir = fuzz_tempdir();
    setenv("XDG_STATE_HOME", dir, 1);
    snprintf(path, sizeof path, "%s/config.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t len;
    const char *line = fuzz_next_line(&p, data + size, &len);
    char *first = fuzz_strndup((const uint8_t *)(line ? line : ""), line ? len : 0);
    char host[64];
    int port = 0;
    if (lo_config_parse_listen(first, host, sizeof host, &port) == 0)
        FUZZ_CHECK(port >= 0 && port <= 65535 && memchr(host, '\0', sizeof host) != NULL);
    free(first);

    fuzz_write(path, data, size);
    char err[512] = "";
    lo_config *c = lo_config_load(path, err, sizeof err);
    FUZZ_CHECK(c != NULL || err[0] != '\0');
    if (c) {
        FUZZ_CHECK(c->optout_path != NULL);
        for (size_t i = 0; i < c->community_count; i++)
            if (c->communities[i].id)
                FUZZ_CHECK(lo_config_community(c, c->communities[i].id) != NULL);
        FUZZ_CHECK(lo_config_community(c, "no-such-community-\x01") == &c->defaults);
    }
    lo_config_free(c);
    return 0;
}

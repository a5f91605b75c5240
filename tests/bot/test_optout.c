/* test_optout.c - opt-outs persist: across a reopen, and across a SIGKILL of
 * the process that wrote them right after lo_optout_set returned. */
#include "bot/optout.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../testing.h"

int main(void)
{
    char dir[] = "/tmp/leanon-optout-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/optouts.sqlite", dir);
    char err[256];

    lo_optout *store = lo_optout_open(path, NULL, err, sizeof err);
    CHECK(store != NULL);
    CHECK(lo_optout_has(store, "discord", "42") == 0);
    CHECK(lo_optout_set(store, "discord", "42", true) == 0);
    CHECK(lo_optout_set(store, "discord", "42", true) == 0); /* twice is fine */
    CHECK(lo_optout_has(store, "discord", "42") == 1);
    CHECK(lo_optout_has(store, "slack", "42") == 0); /* per platform */
    CHECK(lo_optout_set(store, "slack", "7", true) == 0);
    CHECK(lo_optout_set(store, "slack", "7", false) == 0); /* start again */
    CHECK(lo_optout_has(store, "slack", "7") == 0);
    lo_optout_close(store);

    store = lo_optout_open(path, NULL, err, sizeof err);
    CHECK(store != NULL);
    CHECK(lo_optout_has(store, "discord", "42") == 1); /* kept over a reopen */
    lo_optout_close(store);

    /* A child opts out, tells the parent it returned, and is killed before it
     * can close anything. The parent must find the opt-out. */
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        lo_optout *s = lo_optout_open(path, NULL, err, sizeof err);
        char ok = (s && lo_optout_set(s, "webchat", "tab-9", true) == 0) ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1)
            _exit(2);
        for (;;)
            pause();
    }
    close(ready[1]);
    char ok = 0;
    CHECK(read(ready[0], &ok, 1) == 1 && ok == 'y');
    CHECK(kill(child, SIGKILL) == 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status));
    close(ready[0]);

    store = lo_optout_open(path, NULL, err, sizeof err);
    CHECK(store != NULL);
    CHECK(lo_optout_has(store, "webchat", "tab-9") == 1);
    CHECK(lo_optout_has(store, "discord", "42") == 1);
    lo_optout_close(store);

    CHECK(lo_optout_open("/nonexistent-dir/x.sqlite", NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "/nonexistent-dir/x.sqlite") != NULL);

    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}

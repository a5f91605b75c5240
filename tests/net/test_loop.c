/* test_loop.c - the loop turns signals into callbacks on the loop thread and
 * stops cleanly (lws context destroyed, every handle closed) when asked. */
#include "net/loop.h"

#include <signal.h>

#include "../testing.h"

static int hups, terms;

/* cppcheck-suppress constParameter ; the signature of lo_loop's signal callback */
static void on_signal(lo_loop *loop, int signum, void *user)
{
    CHECK(user == (void *)&hups);
    if (signum == SIGHUP) {
        hups++;
        raise(SIGTERM); /* the next one arrives through the loop too */
    } else if (signum == SIGTERM) {
        terms++;
        lo_loop_stop(loop);
        lo_loop_stop(loop); /* idempotent */
    }
}

int main(void)
{
    char err[256];
    lo_loop *loop = lo_loop_new(on_signal, &hups, err, sizeof err);
    CHECK(loop != NULL);
    if (!loop) {
        fprintf(stderr, "%s\n", err);
        TEST_MAIN_END();
    }
    CHECK(lo_loop_lws(loop) != NULL);
    raise(SIGHUP);
    /* cppcheck-suppress unreachableCode ; raise() returns: the loop handles SIGHUP */
    CHECK(lo_loop_run(loop) == 0);
    CHECK(hups == 1 && terms == 1);
    lo_loop_free(loop);
    TEST_MAIN_END();
}

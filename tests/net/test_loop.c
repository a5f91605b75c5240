/* test_loop.c - the loop turns signals into callbacks on the loop thread and
 * stops cleanly (lws context destroyed, every handle closed) when asked. */
#include "net/loop.h"

#include <signal.h>

#include "../expect.h"

static int hups, terms;

static void on_signal(lo_loop *loop, int signum, void *user)
{
    EXPECT(user == (void *)&hups);
    if (signum == SIGHUP) {
        hups++;
        raise(SIGTERM);          /* the next one arrives through the loop too */
    } else if (signum == SIGTERM) {
        terms++;
        lo_loop_stop(loop);
        lo_loop_stop(loop);      /* idempotent */
    }
}

int main(void)
{
    char err[256];
    lo_loop *loop = lo_loop_new(on_signal, &hups, err, sizeof err);
    EXPECT(loop != NULL);
    if (!loop) {
        fprintf(stderr, "%s\n", err);
        return expect_finish();
    }
    EXPECT(lo_loop_lws(loop) != NULL);
    raise(SIGHUP);
    EXPECT(lo_loop_run(loop) == 0);
    EXPECT(hups == 1 && terms == 1);
    lo_loop_free(loop);
    return expect_finish();
}

/* responses_dir.c - where the response set is when --responses is not given:
 * $LEANON_RESPONSES, then the installed copy, then the source tree the binary
 * was built from (so `build/leanon` works straight after a build). */
#include <stdlib.h>
#include <sys/stat.h>

#include "app/app.h"

static int is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *lo_default_responses_dir(void)
{
    const char *env = getenv("LEANON_RESPONSES");
    if (env && *env)
        return env;
    if (is_dir(LEANON_INSTALLED_RESPONSES))
        return LEANON_INSTALLED_RESPONSES;
    return LEANON_SOURCE_RESPONSES;
}

/* responses_dir.c - where the response set is when --responses is not given:
 * $LEANON_RESPONSES; then next to the binary as installed (<prefix>/bin/leanon
 * -> <prefix>/share/leanon/responses, so a moved install still works); then
 * the configured install path; then the source tree the binary was built
 * from (so `build/src/app/leanon` works straight after a build). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            static char beside_binary[PATH_MAX];
            *slash = '\0';
            int len =
                snprintf(beside_binary, sizeof beside_binary, "%s/../share/leanon/responses", exe);
            if (len > 0 && (size_t)len < sizeof beside_binary && is_dir(beside_binary))
                return beside_binary;
        }
    }
    if (is_dir(LEANON_INSTALLED_RESPONSES))
        return LEANON_INSTALLED_RESPONSES;
    return LEANON_SOURCE_RESPONSES;
}

/* state_dir.c - checks the opt-out store's folder before sqlite opens it (see state_dir.h). */
#include "app/state_dir.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void user_name(char *out, size_t size)
{
    struct passwd entry, *found = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &entry, buf, sizeof buf, &found) == 0 && found && found->pw_name)
        snprintf(out, size, "%s", found->pw_name);
    else
        snprintf(out, size, "%u", (unsigned)geteuid());
}

int lo_state_dir_check(const char *store_path, char *err, size_t err_size)
{
    char dir[4096];
    const char *slash = strrchr(store_path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == store_path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - store_path), store_path);
    char user[256];
    user_name(user, sizeof user);
    struct stat st;
    int found = stat(dir, &st);
    const char *problem = found != 0 && errno == ENOENT ? "does not exist"
                          : found != 0                  ? strerror(errno)
                                                        : "is not a folder";
    if (found != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, err_size,
                 "the state folder %s (for the opt-out store %s) %s: create it for the user "
                 "leanon runs as: install -d -m 0700 -o %s %s (under systemd, "
                 "StateDirectory=leanon does this)",
                 dir, store_path, problem, user, dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, err_size,
                 "the state folder %s (for the opt-out store %s) is not writable by the user "
                 "leanon runs as (%s, uid %u): chown %s %s, or point optout_db elsewhere",
                 dir, store_path, user, (unsigned)geteuid(), user, dir);
        return -1;
    }
    return 0;
}

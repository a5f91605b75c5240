/* state_dir.h - the folder the opt-out store lives in must exist and be writable by the user
 * leanon runs as; when it is not, the host is told what to create and with which owner
 * (instead of sqlite's "unable to open database file"). */
#ifndef LEANON_APP_STATE_DIR_H
#define LEANON_APP_STATE_DIR_H

#include <stddef.h>

/* 0 when the folder of store_path exists and this process may create files in it; else -1 with
 * what to do in err. */
int lo_state_dir_check(const char *store_path, char *err, size_t err_size);

#endif

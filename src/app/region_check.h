/* region_check.h - is a region option (--region, "region" in the run config) one the response
 * set defines? An unknown region would silently give crisis replies without the local lines. */
#ifndef LEANON_APP_REGION_CHECK_H
#define LEANON_APP_REGION_CHECK_H

#include "leanon/engine.h"

/* NULL when code is a region of the set (any case); else a new message naming it and listing
 * the known ones: unknown region "UK"; the response set defines "international", "US", ... */
char *lo_region_unknown(const lo_engine *engine, const char *code);

#endif

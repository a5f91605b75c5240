/* diag.h - adding to a lo_diags list (the reading side is in engine.h). */
#ifndef LEANON_ENGINE_DIAG_H
#define LEANON_ENGINE_DIAG_H

#include "leanon/engine.h"

void lo_diags_add(lo_diags *d, lo_severity sev, const char *file, int line, int column,
                  const char *message);

#endif

/* canaries.h - the built-in crisis messages every set must catch, checked at load (canaries.c). */
#ifndef LEANON_ENGINE_CANARIES_H
#define LEANON_ENGINE_CANARIES_H

#include "leanon/engine.h"

/* Adds an error for every built-in crisis message the set fails to catch. */
void lo_safety_verify(const lo_engine *e, lo_diags *d);

#endif

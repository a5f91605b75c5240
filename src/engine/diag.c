/* diag.c - the list of problems found in a response set, each with its file,
 * line and column, printed the way compilers do so editors can jump to it. */
#include <stdlib.h>
#include <string.h>

#include "engine/diag.h"
#include "leanon/engine.h"
#include "common/buf.h"

struct lo_diags {
    lo_diag *v;
    size_t n, cap;
    size_t errors;
};

lo_diags *lo_diags_new(void)
{
    return lo_xcalloc(1, sizeof(lo_diags));
}

void lo_diags_free(lo_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].message);
    }
    free(d->v);
    free(d);
}

size_t lo_diags_count(const lo_diags *d)
{
    return d ? d->n : 0;
}

size_t lo_diags_errors(const lo_diags *d)
{
    return d ? d->errors : 0;
}

const lo_diag *lo_diags_at(const lo_diags *d, size_t i)
{
    return d && i < d->n ? &d->v[i] : NULL;
}

void lo_diags_add(lo_diags *d, lo_severity sev, const char *file, int line, int column,
                  const char *message)
{
    if (!d)
        return;
    lo_grow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
    d->v[d->n++] =
        (lo_diag){sev, file ? lo_xstrdup(file) : NULL, line, column, lo_xstrdup(message)};
    if (sev == LO_DIAG_ERROR)
        d->errors++;
}

void lo_diags_print(const lo_diags *d, FILE *out)
{
    for (size_t i = 0; d && i < d->n; i++) {
        const lo_diag *g = &d->v[i];
        const char *sev = g->severity == LO_DIAG_ERROR ? "error" : "warning";
        if (g->file && g->line)
            fprintf(out, "%s:%d:%d: %s: %s\n", g->file, g->line, g->column, sev, g->message);
        else if (g->file)
            fprintf(out, "%s: %s: %s\n", g->file, sev, g->message);
        else
            fprintf(out, "%s: %s\n", sev, g->message);
    }
}

/* webchat_assets.h - the web chat page's files, compiled into the binary
 * (tools/embed_assets.py generates the table from src/platforms/webchat/). */
#ifndef LEANON_PLATFORMS_WEBCHAT_ASSETS_H
#define LEANON_PLATFORMS_WEBCHAT_ASSETS_H

#include <stddef.h>

typedef struct lo_webchat_asset {
    const char *path; /* "/index.html"; NULL ends the table */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} lo_webchat_asset;

extern const lo_webchat_asset lo_webchat_assets[];

#endif

/* message.c - the helpers include/leanon/message.h declares: freeing a reply's text. */
#include <stdlib.h>

#include "leanon/message.h"

void lo_reply_clear(lo_reply *reply)
{
    if (!reply)
        return;
    free(reply->text);
    reply->text = NULL;
}

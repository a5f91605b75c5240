/* discord_split.c - word-boundary splitting under Discord's length limit (see discord_split.h).
 *
 * One pass over the piece's candidate characters: each step decodes the length of one UTF-8
 * sequence (an invalid byte stands for itself), counts its UTF-16 units, and remembers the last
 * white space seen; when the next character would pass the limit, the piece ends at that white
 * space, or at the current character boundary when there was none.
 */
#include "platforms/discord_split.h"

#include <stdbool.h>

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length in bytes of the UTF-8 sequence at s (1 for an invalid or truncated one). */
static size_t sequence_length(const unsigned char *s, size_t avail)
{
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 1;
    if (n > avail)
        return 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

size_t lo_discord_split_next(const char *text, size_t len, size_t *offset, size_t limit,
                             size_t *start)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *offset;
    while (i < len && is_space(s[i]))
        i++;
    *start = i;
    if (limit < 2)
        limit = 2; /* room for any one character, so every call makes progress */
    if (i >= len) {
        *offset = len;
        return 0;
    }
    size_t units = 0, last_space = 0; /* last_space: byte index of a space inside the piece */
    size_t pos = i;
    while (pos < len) {
        size_t n = sequence_length(s + pos, len - pos);
        size_t char_units = n == 4 ? 2 : 1;
        if (units + char_units > limit)
            break;
        if (is_space(s[pos]) && pos > i)
            last_space = pos;
        units += char_units;
        pos += n;
    }
    size_t end = pos;
    if (pos < len && !is_space(s[pos]) && last_space > i)
        end = last_space; /* the limit fell inside a word: end at the space before it */
    size_t piece = end;
    while (piece > i && is_space(s[piece - 1]))
        piece--;
    *offset = end;
    return piece - i;
}

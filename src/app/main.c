/* main.c - the leanon command line: picks the subcommand; --help and --version. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"

static void usage(FILE *out)
{
    fputs(
        "usage: leanon <command> [options]\n"
        "       leanon --version | --help\n"
        "\n"
        "  check   [--responses DIR]                 check the response files and their examples\n"
        "  match   [--responses DIR] [--seed N] [--region CC] [--explain] [--json]\n"
        "          one message per line on stdin, one JSON answer per line on stdout\n"
        "  console [--responses DIR] [--region CC]   talk to the bot in this terminal\n"
        "  run     [--config FILE] [--listen ADDR:PORT] [--responses DIR] [--region CC]\n"
        "          [--log-format logfmt|json] [--check]\n"
        "          the bot itself: web chat on http://127.0.0.1:8080 (docs/running.md)\n"
        "\n"
        "leanon COMMAND --help shows one command. DIR defaults to $LEANON_RESPONSES, else the\n"
        "installed or built-in responses folder. The manual: man leanon.\n",
        out);
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || is_help(argv[1])) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("leanon %s\n", LEANON_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "check") == 0)
        return lo_cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "match") == 0)
        return lo_cmd_match(argc - 1, argv + 1);
    if (strcmp(argv[1], "console") == 0)
        return lo_cmd_console(argc - 1, argv + 1);
    if (strcmp(argv[1], "run") == 0)
        return lo_cmd_run(argc - 1, argv + 1);
    fprintf(stderr, "leanon: unknown %s \"%s\"\n\n", argv[1][0] == '-' ? "option" : "command",
            argv[1]);
    usage(stderr);
    return 2;
}

/* app.h - the subcommands of the leanon binary, one file each. */
#ifndef LEANON_APP_H
#define LEANON_APP_H

const char *lo_default_responses_dir(void);
int lo_cmd_check(int argc, char **argv);
int lo_cmd_match(int argc, char **argv);
int lo_cmd_console(int argc, char **argv);
int lo_cmd_run(int argc, char **argv);

#endif

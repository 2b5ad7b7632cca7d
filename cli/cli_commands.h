/* cli_commands.h: the subcommands of hnsim, each parsing its own arguments
 * (argv[0] is the subcommand's name) and returning an exit code (cli_exit.h). */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

int cli_run(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_hns(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_truth(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);

#endif

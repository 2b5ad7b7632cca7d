/* cli_exit.h: the exit codes of the hnsim command (also in `hnsim help`). */
#ifndef CLI_EXIT_H
#define CLI_EXIT_H

enum cli_exit {
  CLI_EXIT_OK = 0,          /* every expectation held */
  CLI_EXIT_FAILED = 1,      /* an expectation failed */
  CLI_EXIT_USAGE = 2,       /* bad command line or input (a file, a run id, ...) */
  CLI_EXIT_INTERNAL = 3     /* hnsim itself failed (database, memory, ...) */
};

#endif

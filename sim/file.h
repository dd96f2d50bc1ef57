/* file.h: whole-file reads and all-or-nothing writes (file.c), shared by the
 * CLI and the fuzz targets. */
#ifndef SIM_FILE_H
#define SIM_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes `size` bytes to `path` through a temporary file and a rename, so
 * the file is complete or absent. Returns false (errno set) on failure. */
bool sim_file_write(const char *path, const char *data, size_t size);
/* Reads a whole file; NULL (errno set) on failure. Free the result. */
char *sim_file_read(const char *path, size_t *size);

#endif

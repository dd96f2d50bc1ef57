/* file.c: whole-file reads and all-or-nothing writes. A report, schedule
 * or corpus file is written to a temporary name and renamed into place, so a
 * crash or a full disk never leaves a partial file behind. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

bool sim_file_write(const char *path, const char *data, size_t size) {
    char temporary[4096];
    if (snprintf(temporary, sizeof temporary, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof temporary) {
        errno = ENAMETOOLONG;
        return false;
    }
    FILE *out = fopen(temporary, "wb");
    if (out == NULL)
        return false;
    bool ok = fwrite(data, 1, size, out) == size;
    ok = (fclose(out) == 0) && ok;
    if (ok && rename(temporary, path) == 0)
        return true;
    int saved = errno;
    unlink(temporary);
    errno = saved;
    return false;
}

char *sim_file_read(const char *path, size_t *size) {
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return NULL;
    struct stat info;
    if (fstat(fileno(in), &info) != 0 || !S_ISREG(info.st_mode)) {
        fclose(in);
        errno = EISDIR;
        return NULL;
    }
    char *data = malloc((size_t)info.st_size + 1);
    if (data == NULL) {
        fclose(in);
        return NULL;
    }
    *size = fread(data, 1, (size_t)info.st_size, in);
    data[*size] = '\0';
    fclose(in);
    return data;
}

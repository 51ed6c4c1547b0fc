/* embedded.h: the type of the files that tools/embed.c compiles into the binary. */
#pragma once
#include <stddef.h>

struct embedded_file {
	const char *name; /* path below its source folder, e.g. "0001_schema.sql" */
	const char *data; /* the bytes, followed by a NUL not counted in size */
	size_t size;
};

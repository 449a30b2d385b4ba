/* container_of: from a member back to the struct that holds it. Hooks and queued operations
 * are members of their owner's struct, so a callback gets a typed pointer instead of a void *
 * it must trust. */
#ifndef RDSEMU_BASE_CONTAINER_H
#define RDSEMU_BASE_CONTAINER_H

#include <stddef.h>

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#endif

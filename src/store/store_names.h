/* Private to src/store/: name lists <-> JSON text columns. */
#ifndef RDSEMU_STORE_NAMES_H
#define RDSEMU_STORE_NAMES_H

#include "rdsemu/core/model.h"

/* New (free()), NULL when out of memory. */
char *store_names_encode(const struct name_list *list);
/* Appends to `out`; -1 when `text` is not a JSON array of strings. */
int store_names_decode(const char *text, struct name_list *out);

#endif

/* Name lists are kept as JSON arrays of strings in one TEXT column. */
#include <jansson.h>
#include <stdlib.h>

#include "store_names.h"

char *store_names_encode(const struct name_list *list)
{
    json_t *array = json_array();
    if (array == NULL)
        return NULL;
    for (size_t i = 0; i < list->count; i++) {
        if (json_array_append_new(array, json_string(list->names[i])) != 0) {
            json_decref(array);
            return NULL;
        }
    }
    char *text = json_dumps(array, JSON_COMPACT);
    json_decref(array);
    return text;
}

int store_names_decode(const char *text, struct name_list *out)
{
    json_t *array = json_loads(text, 0, NULL);
    if (!json_is_array(array)) {
        json_decref(array);
        return -1;
    }
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        if (!json_is_string(item) || name_list_add(out, json_string_value(item)) != 0) {
            json_decref(array);
            name_list_free(out);
            return -1;
        }
    }
    json_decref(array);
    return 0;
}

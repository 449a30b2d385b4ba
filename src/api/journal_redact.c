/* Secrets in a body, hidden before the journal keeps it (include/rdsemu/api/journal.h). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api/journal.h"

#define HIDDEN "***"

/* Every member named "password", in objects and arrays at any depth. */
static void hide_passwords(json_t *value)
{
    if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) hide_passwords(item);
        return;
    }
    const char *key;
    json_t *member;
    json_object_foreach(value, key, member)
    {
        if (strcmp(key, "password") == 0)
            json_object_set_new(value, key, json_string(HIDDEN));
        else
            hide_passwords(member);
    }
}

char *journal_body_redacted(const char *body, size_t len, size_t *out_len)
{
    json_t *root = len > 0 ? json_loadb(body, len, 0, NULL) : NULL;
    char *text;
    if (root == NULL) {
        /* Not JSON (or cut): no telling where a secret sits in it, so none of it is kept. */
        text = strdup(HIDDEN);
    } else {
        json_t *identity = json_object_get(json_object_get(root, "auth"), "identity");
        json_t *token = json_object_get(identity, "token");
        if (json_object_get(token, "id") != NULL)
            json_object_set_new(token, "id", json_string(HIDDEN));
        hide_passwords(root);
        text = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
        json_decref(root);
    }
    if (text != NULL)
        *out_len = strlen(text);
    return text;
}

/* The control plane (docs/emulator.md) as the tests drive it: a call that must answer a status,
 * its error code words, the emulator clock read and moved with its answer checked, and a backup
 * forced to its end. The macros report the caller's line. */
#ifndef RDSEMU_TEST_ADMIN_H
#define RDSEMU_TEST_ADMIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "expect.h"

/* A control-plane call that must answer `status`; the parsed body (new reference, NULL for
 * none). */
json_t *admin_call_at(const char *file, int line, const struct emu *emu, const char *method,
                      const char *path, const char *body, long status);
#define ADMIN_CALL(emu, method, path, body, status)                                                \
    json_decref(admin_call_at(__FILE__, __LINE__, (emu), (method), (path), (body), (status)))

/* Control-plane error with its documented code word (bad_request, not_found, conflict...). */
bool expect_admin_code_at(const char *file, int line, const struct http_response *r, long status,
                          const char *code);
#define EXPECT_ADMIN_CODE(r, status, code)                                                         \
    expect_admin_code_at(__FILE__, __LINE__, (r), (status), (code))

/* ---- the emulator clock ---- */

/* Each checks the clock's answer: 200, exactly {"now": <v3 time>, "offset_seconds": <integer>,
 * "frozen": <boolean>}, and returns now in seconds (the offset into `offset` when not NULL), or
 * -1 when the answer is not that. */
int64_t emu_clock_get_at(const char *file, int line, const struct emu *emu, int64_t *offset);
int64_t emu_clock_post_at(const char *file, int line, const struct emu *emu, const char *body,
                          int64_t *offset);
/* Sets the emulator time to `t` (POST {"now"}). */
int64_t emu_clock_set_at(const char *file, int line, const struct emu *emu, int64_t t);
int64_t emu_clock_advance_at(const char *file, int line, const struct emu *emu, long seconds);
/* Stops the emulator clock (true) or lets it run again (false): between a freeze and its end no
 * real second ticks into a test that checks a transition to the second. */
int64_t emu_clock_freeze_at(const char *file, int line, const struct emu *emu, bool freeze);
/* The "frozen" member of GET /_emulator/clock (not a check). */
bool emu_clock_frozen(const struct emu *emu);

#define EMU_CLOCK_GET(emu, offset) emu_clock_get_at(__FILE__, __LINE__, (emu), (offset))
#define EMU_CLOCK_SET(emu, t)      emu_clock_set_at(__FILE__, __LINE__, (emu), (t))
#define EMU_CLOCK_ADVANCE(emu, n)  emu_clock_advance_at(__FILE__, __LINE__, (emu), (n))
#define EMU_CLOCK_FREEZE(emu, on)  emu_clock_freeze_at(__FILE__, __LINE__, (emu), (on))
#define EMU_CLOCK_POST(emu, body, offset)                                                          \
    emu_clock_post_at(__FILE__, __LINE__, (emu), (body), (offset))

/* POST /_emulator/backups/{id}/<action> ("complete" or "fail"), which must answer 200. */
void emu_backup_force_at(const char *file, int line, const struct emu *emu, const char *id,
                         const char *action);
#define EMU_BACKUP_FORCE(emu, id, action)                                                          \
    emu_backup_force_at(__FILE__, __LINE__, (emu), (id), (action))

#endif

/* Fault injection (docs/emulator.md): rules that delay matching requests and/or answer them with
 * an error in the API's own shape. Thread-safe. */
#ifndef RDSEMU_FAULTS_H
#define RDSEMU_FAULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "rdsemu/core/errors.h"

#ifndef FAULT_DELAY_MAX_MS
#define FAULT_DELAY_MAX_MS 300000
#endif

/* Rules held at most (docs/guarantees.md "Limits"): each takes up to a few KiB, and every
 * request to the emulated APIs is matched against all of them. */
#define FAULTS_MAX 1000

struct faults;

/* `seed`: the RNG seed (--seed-rng); each rule draws its own seed from it, unless the rule
 * gives one. NULL when out of memory. */
struct faults *faults_new(uint64_t seed);
void faults_free(struct faults *faults);

/* Adds the rule in `body`; `*out` (new) is the stored rule. 0, or -1 with `err` (a conflict
 * when FAULTS_MAX rules are held already). */
int faults_add(struct faults *faults, json_t *body, json_t **out, struct rule_error *err);
/* New: {"faults": [...]} in the order they are tried. */
json_t *faults_list(struct faults *faults);
/* 0 removed, 1 no such rule. */
int faults_remove(struct faults *faults, const char *id);
void faults_clear(struct faults *faults);
/* As faults_clear, and the RNG starts again from its seed (POST /_emulator/reset). */
void faults_reset(struct faults *faults);
/* True when some rule names an instance, so the body is worth reading for one. */
bool faults_need_instance(struct faults *faults);

/* What the first matching rule does to a request. */
struct fault_action {
    char rule_id[37];
    long delay_ms;
    int status;          /* 0: no error, only the delay */
    char error_code[65]; /* "" : the catalogue's code for the status */
    char message[513];
};

struct fault_request {
    const char *method;
    const char *path;
    const char *project_id;  /* NULL when the route has none */
    const char *instance_id; /* from the path, query or body; NULL when none */
};

/* True and `out` filled when a rule fires (its filters match, its dice roll succeeds, and
 * it has `times` left, which this consumes). */
bool faults_match(struct faults *faults, const struct fault_request *req, struct fault_action *out);

#endif

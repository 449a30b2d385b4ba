/* Identifiers (docs/architecture.md "IDs"). Random bytes come from the kernel in blocks kept per
 * thread: one getrandom() call serves 32 IDs, where libuuid made several system calls for
 * each. Name-based version IDs still use libuuid's SHA-1 UUIDs. Job IDs are not random but
 * ordered, like the real service's (docs/jobs.md "Job IDs"): each new job lands at the end
 * of the jobs table's B-tree instead of on a random page of it, which the store has to write
 * in full to the WAL on every commit. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <uuid/uuid.h>

#include "rdsemu/core/ids.h"

#define RANDOM_BLOCK 512

static _Thread_local unsigned char random_block[RANDOM_BLOCK];
static _Thread_local size_t random_used = RANDOM_BLOCK;

/* Fills `out` with `len` (<= RANDOM_BLOCK) random bytes. */
static void random_bytes(unsigned char *out, size_t len)
{
    if (random_used + len > RANDOM_BLOCK) {
        size_t got = 0;
        while (got < RANDOM_BLOCK) {
            ssize_t n = getrandom(random_block + got, RANDOM_BLOCK - got, 0);
            if (n <= 0) {
                /* No kernel randomness: fall back on libuuid's own sources. */
                uuid_t u;
                uuid_generate(u);
                memcpy(random_block + got, u,
                       RANDOM_BLOCK - got < sizeof(u) ? RANDOM_BLOCK - got : sizeof(u));
                n = (ssize_t)(RANDOM_BLOCK - got < sizeof(u) ? RANDOM_BLOCK - got : sizeof(u));
            }
            got += (size_t)n;
        }
        random_used = 0;
    }
    memcpy(out, random_block + random_used, len);
    random_used += len;
}

static void hex(const unsigned char *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0F];
    }
}

void ids_uuid_random(char out[UUID_TEXT_LEN + 1])
{
    unsigned char u[16];
    random_bytes(u, sizeof(u));
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40); /* version 4: random */
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    /* 8-4-4-4-12 */
    hex(u, 4, out);
    out[8] = '-';
    hex(u + 4, 2, out + 9);
    out[13] = '-';
    hex(u + 6, 2, out + 14);
    out[18] = '-';
    hex(u + 8, 2, out + 19);
    out[23] = '-';
    hex(u + 10, 6, out + 24);
    out[UUID_TEXT_LEN] = '\0';
}

/* The process's part of every job ID: 4 random bytes (where the real service's IDs carry
 * its host) and the start time in seconds. Made once, by the first job ID. */
static pthread_once_t job_prefix_once = PTHREAD_ONCE_INIT;
static char job_prefix[17];
/* Milliseconds since the epoch << 16 | a counter within the millisecond: never goes back. */
static _Atomic uint64_t job_sequence;

static void job_prefix_make(void)
{
    unsigned char r[4];
    random_bytes(r, sizeof(r));
    hex(r, sizeof(r), job_prefix);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(job_prefix + 8, 9, "%08x", (unsigned)ts.tv_sec);
}

void ids_job_id(char out[JOB_ID_TEXT_LEN + 1])
{
    pthread_once(&job_prefix_once, job_prefix_make);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000) << 16;
    uint64_t prev = atomic_load(&job_sequence), next;
    do {
        next = prev + 1 > now ? prev + 1 : now;
    } while (!atomic_compare_exchange_weak(&job_sequence, &prev, next));
    memcpy(out, job_prefix, 16);
    snprintf(out + 16, 17, "%016llx", (unsigned long long)next);
    out[JOB_ID_TEXT_LEN] = '\0';
}

void ids_version_id(const char *engine, const char *version, char out[UUID_TEXT_LEN + 1])
{
    /* A fixed namespace of our own, so version IDs do not collide with other v5 UUIDs. */
    static const uuid_t rdsemu_namespace = {0x5a, 0x0b, 0x8e, 0x52, 0x3c, 0x41, 0x4d, 0x6e,
                                            0x9f, 0x27, 0x61, 0xd1, 0x0c, 0x4e, 0x7a, 0x93};
    char name[512];
    int len = snprintf(name, sizeof(name), "%s\n%s", engine, version);
    if (len < 0 || (size_t)len >= sizeof(name))
        len = (int)sizeof(name) - 1;
    uuid_t u;
    uuid_generate_sha1(u, rdsemu_namespace, name, (size_t)len);
    uuid_unparse_lower(u, out);
}

/* The timer thread behind delayed answers: a list sorted by deadline, one condition
 * variable on the monotonic clock. */
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "delay.h"

struct delayed {
    struct timespec deadline;
    struct MHD_Connection *conn;
    struct delayed *next;
};

struct delay_queue {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct delayed *head; /* soonest first */
    bool stopping;
};

static bool before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *delay_run(void *arg)
{
    struct delay_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        while (q->head != NULL && (q->stopping || !before(&now, &q->head->deadline))) {
            struct delayed *d = q->head;
            q->head = d->next;
            MHD_resume_connection(d->conn);
            free(d);
        }
        if (q->stopping)
            break;
        if (q->head == NULL)
            pthread_cond_wait(&q->changed, &q->lock);
        else
            pthread_cond_timedwait(&q->changed, &q->lock, &q->head->deadline);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct delay_queue *delay_queue_start(void)
{
    struct delay_queue *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->changed, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&q->lock, NULL);
    if (pthread_create(&q->thread, NULL, delay_run, q) != 0) {
        pthread_cond_destroy(&q->changed);
        pthread_mutex_destroy(&q->lock);
        free(q);
        return NULL;
    }
    return q;
}

int delay_queue_add(struct delay_queue *q, struct MHD_Connection *conn, long ms)
{
    struct delayed *d = calloc(1, sizeof(*d));
    if (d == NULL)
        return -1;
    d->conn = conn;
    clock_gettime(CLOCK_MONOTONIC, &d->deadline);
    d->deadline.tv_sec += ms / 1000;
    d->deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (d->deadline.tv_nsec >= 1000000000L) {
        d->deadline.tv_sec++;
        d->deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->lock);
    if (q->stopping) {
        /* Shutting down: answer now rather than hold the stop. */
        MHD_resume_connection(conn);
        pthread_mutex_unlock(&q->lock);
        free(d);
        return 0;
    }
    struct delayed **at = &q->head;
    while (*at != NULL && !before(&d->deadline, &(*at)->deadline))
        at = &(*at)->next;
    d->next = *at;
    *at = d;
    pthread_cond_signal(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

void delay_queue_stop(struct delay_queue *q)
{
    if (q == NULL)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_signal(&q->changed);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
}

void delay_queue_free(struct delay_queue *q)
{
    if (q == NULL)
        return;
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

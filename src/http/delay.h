/* Private to src/http/. Delayed answers without a sleeping worker: a suspended connection is
 * resumed by one timer thread when its time comes (docs/emulator.md: a delayed request never holds
 * up others). */
#ifndef RDSEMU_HTTP_DELAY_H
#define RDSEMU_HTTP_DELAY_H

struct MHD_Connection;
struct delay_queue;

/* Starts the timer thread. NULL on failure. */
struct delay_queue *delay_queue_start(void);
/* Resumes `conn` (suspended by the caller) after `ms` milliseconds. -1 when out of memory:
 * the caller then resumes it itself. */
int delay_queue_add(struct delay_queue *q, struct MHD_Connection *conn, long ms);
/* Resumes every waiting connection now and stops the thread; later adds resume at once. */
void delay_queue_stop(struct delay_queue *q);
/* After the HTTP daemon stopped: nothing can add any more. */
void delay_queue_free(struct delay_queue *q);

#endif

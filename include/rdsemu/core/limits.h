/* Limits several layers share (docs/guarantees.md "Limits"), each said once. */
#ifndef RDSEMU_CORE_LIMITS_H
#define RDSEMU_CORE_LIMITS_H

/* The longest build time a header, an instance or --backup-seconds may ask for: ten years. */
#define BUILD_SECONDS_MAX (10L * 366 * 24 * 3600)

#endif

/*
 * Tiny test harness shared by the C tests: named cases, one printed line per
 * failed check (with the case id), and the final "N passed, N failed" line.
 */

#ifndef PRIVNUM_TESTUTIL_H
#define PRIVNUM_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "privnum.h"

/* The byte used to pre-fill out-parameters, to prove they were not written. */
#define T_SENTINEL 0xA5
#define T_SENTINEL_SIZE ((size_t)0xA5A5A5A5u)
#define T_SENTINEL_BITS UINT64_C(0xA5A5A5A5A5A5A5A5)

typedef struct t_case {
    char id[200];
    int failures;
} t_case;

static int t_passed;
static int t_failed;

__attribute__((format(printf, 2, 3))) static inline void t_begin(t_case *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->id, sizeof c->id, fmt, ap);
    va_end(ap);
    c->failures = 0;
}

__attribute__((format(printf, 2, 3))) static inline void t_fail(t_case *c, const char *fmt, ...)
{
    va_list ap;
    printf("FAIL %s: ", c->id);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    c->failures++;
}

static inline void t_end(t_case *c)
{
    if (c->failures == 0) {
        t_passed++;
    } else {
        t_failed++;
    }
}

/* Prints the final line; returns the process exit status. */
static inline int t_summary(void)
{
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed == 0 ? 0 : 1;
}

static inline const char *t_name(privnum_result r)
{
    const char *n = privnum_result_name(r);
    return n != NULL ? n : "(not a result code)";
}

/* The calling thread's last error message, NUL-terminated (truncated to fit). */
static inline void t_last_error(char *out, size_t cap)
{
    size_t n = 0;
    if (privnum_last_error_message((uint8_t *)out, cap - 1, &n) != PRIVNUM_RESULT_OK) {
        snprintf(out, cap, "(message longer than %zu bytes)", cap - 1);
        return;
    }
    out[n] = '\0';
}

#define T_CHECK(c, cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            t_fail((c), "%s:%d: check failed: %s", __FILE__, __LINE__, #cond);           \
        }                                                                                \
    } while (0)

#define T_RESULT(c, expr, want) t_result((c), __FILE__, __LINE__, #expr, (expr), (want))

static inline void t_result(t_case *c, const char *file, int line, const char *expr,
                            privnum_result got, privnum_result want)
{
    if (got != want) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        t_fail(c, "%s:%d: %s returned %s (%u), expected %s (%u); last error: %s", file, line,
               expr, t_name(got), (unsigned)got, t_name(want), (unsigned)want, msg);
    }
}

/* Compare produced bytes with the expected text. */
static inline void t_text(t_case *c, const char *what, const uint8_t *got, size_t got_n,
                          const char *want, size_t want_n)
{
    if (got_n != want_n || (want_n > 0 && memcmp(got, want, want_n) != 0)) {
        t_fail(c, "%s: got \"%.*s\" (%zu bytes), expected \"%.*s\" (%zu bytes)", what,
               (int)got_n, (const char *)got, got_n, (int)want_n, want, want_n);
    }
}

/* True if all n bytes at p are T_SENTINEL. */
static inline bool t_untouched(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != T_SENTINEL) {
            return false;
        }
    }
    return true;
}

#endif /* PRIVNUM_TESTUTIL_H */

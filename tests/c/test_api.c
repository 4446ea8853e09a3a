/*
 * Tests of the C API's conventions: NULL arguments, buffers that are too
 * small, _free(NULL), invalid UTF-8, unknown enum values, the version, result
 * descriptions, the thread-local last error, reference-counted handles, and
 * handles shared between threads.
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "privnum.h"
#include "testutil.h"

#define U8(s) ((const uint8_t *)(s))
/* A string literal as (ptr, len). */
#define LIT(s) U8(s), (sizeof(s) - 1)

static const uint8_t BAD_UTF8[] = { 'a', 0xFF, 'b' };
#define BAD BAD_UTF8, sizeof BAD_UTF8

static const char MOBILE[] = "+8613800000021";

/* The clock the library signs with (time() may lag it by a tick). */
static int64_t now_unix(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return (int64_t)time(NULL);
    }
    return (int64_t)ts.tv_sec;
}

static privnum_number mobile(void)
{
    privnum_number n = { 0 };
    if (privnum_number_parse_default(LIT(MOBILE), &n) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot parse %s\n", MOBILE);
        exit(2);
    }
    return n;
}

static privnum_signer *new_signer(void)
{
    privnum_signer *s = NULL;
    if (privnum_signer_new(LIT("appkey"), LIT("secret"), &s) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot create a signer\n");
        exit(2);
    }
    return s;
}

static privnum_verifier *new_verifier(void)
{
    privnum_verifier *v = NULL;
    if (privnum_verifier_new(LIT("appkey"), LIT("secret"), NULL, &v) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot create a verifier\n");
        exit(2);
    }
    return v;
}

static privnum_params_verifier *new_params_verifier(void)
{
    privnum_params_verifier *v = NULL;
    if (privnum_params_verifier_new(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, LIT("secret"), NULL, &v) !=
        PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot create a params verifier\n");
        exit(2);
    }
    return v;
}

/* A signed token: the value of its header, and the two headers to verify it. */
typedef struct token {
    uint32_t scheme;
    uint8_t value[512];
    size_t value_len;
    privnum_header headers[2];
} token;

/* Sign with a fresh nonce at the current time (nonce and created NULL). */
static privnum_result sign_token(const privnum_signer *s, uint32_t scheme, token *t)
{
    t->scheme = scheme;
    privnum_result r = privnum_signer_sign(s, scheme, NULL, 0, NULL, 0, t->value, sizeof t->value,
                                           &t->value_len);
    const char *auth = privnum_scheme_authorization(scheme);
    const char *name = privnum_scheme_header_name(scheme);
    t->headers[0] = (privnum_header){ LIT("Authorization"), U8(auth), auth ? strlen(auth) : 0 };
    t->headers[1] = (privnum_header){ U8(name), name ? strlen(name) : 0, t->value, t->value_len };
    return r;
}

/* Does the calling thread's last error message contain `needle`? */
static bool last_error_contains(const char *needle)
{
    char msg[512];
    t_last_error(msg, sizeof msg);
    return strstr(msg, needle) != NULL;
}

#define T_MESSAGE(c, needle)                                                                    \
    do {                                                                                        \
        if (!last_error_contains(needle)) {                                                     \
            char msg_[512];                                                                     \
            t_last_error(msg_, sizeof msg_);                                                    \
            t_fail((c), "%s:%d: last error \"%s\" does not contain \"%s\"", __FILE__, __LINE__, \
                   msg_, (needle));                                                             \
        }                                                                                       \
    } while (0)

typedef privnum_result (*render_fn)(privnum_number, uint8_t *, size_t, size_t *);

static const struct {
    const char *name;
    render_fn f;
} RENDERS[] = {
    { "e164", privnum_number_e164 },
    { "query", privnum_number_query },
    { "masked", privnum_number_masked },
    { "national", privnum_number_national },
    { "national_significant", privnum_number_national_significant },
    { "area_code", privnum_number_area_code },
};
#define N_RENDERS (sizeof RENDERS / sizeof RENDERS[0])

/* ---- NULL arguments ------------------------------------------------------- */

static void test_null_parameters(void)
{
    t_case c;
    t_begin(&c, "null-parameters");
    const privnum_result NUL = PRIVNUM_RESULT_NULL_PARAMETER;
    uint8_t buf[256];
    size_t n = T_SENTINEL_SIZE;
    privnum_number num = mobile();
    privnum_number out_num = { T_SENTINEL_BITS };
    uint32_t u = 0;
    size_t mn = T_SENTINEL_SIZE;
    size_t mx = T_SENTINEL_SIZE;
    int64_t t = 0;
    privnum_signer *s = new_signer();
    privnum_verifier *v = new_verifier();
    privnum_params_verifier *pv = new_params_verifier();
    privnum_signer *s2 = NULL;
    privnum_verifier *v2 = NULL;
    privnum_params_verifier *pv2 = NULL;
    privnum_verified vd;
    privnum_params_verified pvd;
    const uint32_t AKSK = PRIVNUM_SCHEME_AKSK;
    const uint32_t CC = PRIVNUM_PARAMS_PROFILE_CALL_CONTROL;
    const uint32_t FORM = PRIVNUM_PARAMS_ENCODING_FORM;
    const int64_t now = now_unix();
    const privnum_param params[1] = { { LIT("a"), LIT("b") } };
    const privnum_header headers[1] = { { LIT("X-AKSK"), LIT("x") } };

    /* last error */
    T_RESULT(&c, privnum_last_error_message(NULL, 1, &n), NUL);
    T_RESULT(&c, privnum_last_error_message(buf, sizeof buf, NULL), NUL);

    /* numbers and fields */
    T_RESULT(&c, privnum_number_parse(NULL, 3, 86, &out_num), NUL);
    T_MESSAGE(&c, "input");
    T_RESULT(&c, privnum_number_parse(LIT(MOBILE), 86, NULL), NUL);
    T_MESSAGE(&c, "out is NULL");
    T_RESULT(&c, privnum_number_parse_default(NULL, 3, &out_num), NUL);
    T_RESULT(&c, privnum_number_parse_default(LIT(MOBILE), NULL), NUL);
    T_RESULT(&c, privnum_number_from_bits(num.bits, NULL), NUL);
    T_CHECK(&c, out_num.bits == T_SENTINEL_BITS);
    for (size_t i = 0; i < N_RENDERS; i++) {
        T_RESULT(&c, RENDERS[i].f(num, NULL, 10, &n), NUL);
        T_RESULT(&c, RENDERS[i].f(num, buf, sizeof buf, NULL), NUL);
    }
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    T_RESULT(&c, privnum_field_check(PRIVNUM_FIELD_NONCE, NULL, 3), NUL);
    T_RESULT(&c, privnum_field_bounds(PRIVNUM_FIELD_NONCE, NULL, &mx), NUL);
    T_RESULT(&c, privnum_field_bounds(PRIVNUM_FIELD_NONCE, &mn, NULL), NUL);
    T_CHECK(&c, mn == T_SENTINEL_SIZE && mx == T_SENTINEL_SIZE);
    T_RESULT(&c, privnum_field_from_name(NULL, 3, &u), NUL);
    T_RESULT(&c, privnum_field_from_name(LIT("nonce"), NULL), NUL);

    /* sorted parameters */
    const privnum_param null_name[1] = { { NULL, 3, LIT("b") } };
    const privnum_param null_value[1] = { { LIT("a"), NULL, 3 } };
    T_RESULT(&c, privnum_params_encode(FORM, NULL, 3, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_params_encode(FORM, LIT("a"), NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_params_encode(FORM, LIT("a"), buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_params_string_to_sign(CC, NULL, 2, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_params_string_to_sign(CC, null_name, 1, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "params[0].name");
    T_RESULT(&c, privnum_params_string_to_sign(CC, null_value, 1, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "params[0].value");
    T_RESULT(&c, privnum_params_string_to_sign(CC, params, 1, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_params_string_to_sign(CC, params, 1, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_params_sign(CC, NULL, 3, params, 1, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_params_sign(CC, LIT("s"), NULL, 2, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_params_sign(CC, LIT("s"), params, 1, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_params_sign(CC, LIT("s"), params, 1, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_params_verifier_new(CC, NULL, 3, NULL, &pv2), NUL);
    T_RESULT(&c, privnum_params_verifier_new(CC, LIT("s"), NULL, NULL), NUL);
    T_RESULT(&c, privnum_params_verifier_clone(NULL, &pv2), NUL);
    T_RESULT(&c, privnum_params_verifier_clone(pv, NULL), NUL);
    T_CHECK(&c, pv2 == NULL);
    T_RESULT(&c, privnum_params_verifier_verify(NULL, params, 1, now, &pvd), NUL);
    T_RESULT(&c, privnum_params_verifier_verify(pv, NULL, 2, now, &pvd), NUL);
    T_RESULT(&c, privnum_params_verifier_verify(pv, params, 1, now, NULL), NUL);
    T_RESULT(&c, privnum_params_verifier_forget(NULL, LIT("x")), NUL);
    T_RESULT(&c, privnum_params_verifier_forget(pv, NULL, 3), NUL);

    /* signing */
    T_RESULT(&c, privnum_signer_new(NULL, 3, LIT("s"), &s2), NUL);
    T_RESULT(&c, privnum_signer_new(LIT("k"), NULL, 3, &s2), NUL);
    T_RESULT(&c, privnum_signer_new(LIT("k"), LIT("s"), NULL), NUL);
    T_RESULT(&c, privnum_signer_clone(NULL, &s2), NUL);
    T_MESSAGE(&c, "signer is NULL");
    T_RESULT(&c, privnum_signer_clone(s, NULL), NUL);
    T_CHECK(&c, s2 == NULL);
    T_RESULT(&c, privnum_signer_sign(NULL, AKSK, NULL, 0, NULL, 0, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_signer_sign(s, AKSK, NULL, 0, NULL, 0, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_signer_sign(s, AKSK, NULL, 0, NULL, 0, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_signer_digest(NULL, AKSK, LIT("n"), LIT("c"), buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_signer_digest(s, AKSK, NULL, 3, LIT("c"), buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_signer_digest(s, AKSK, LIT("n"), NULL, 3, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_signer_digest(s, AKSK, LIT("n"), LIT("c"), NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_signer_digest(s, AKSK, LIT("n"), LIT("c"), buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_format_created(0, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_format_created(0, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_parse_created(NULL, 3, &t), NUL);
    T_RESULT(&c, privnum_parse_created(LIT("2018-02-12T15:30:20Z"), NULL), NUL);
    T_RESULT(&c, privnum_generate_nonce(NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_generate_nonce(buf, sizeof buf, NULL), NUL);
    T_CHECK(&c, n == T_SENTINEL_SIZE);

    /* header verification */
    const privnum_header null_hname[1] = { { NULL, 5, LIT("x") } };
    const privnum_header null_hvalue[1] = { { LIT("X-AKSK"), NULL, 5 } };
    T_RESULT(&c, privnum_verifier_config_default(NULL), NUL);
    T_RESULT(&c, privnum_verifier_new(NULL, 3, LIT("s"), NULL, &v2), NUL);
    T_RESULT(&c, privnum_verifier_new(LIT("k"), NULL, 3, NULL, &v2), NUL);
    T_RESULT(&c, privnum_verifier_new(LIT("k"), LIT("s"), NULL, NULL), NUL);
    T_RESULT(&c, privnum_verifier_clone(NULL, &v2), NUL);
    T_RESULT(&c, privnum_verifier_clone(v, NULL), NUL);
    T_CHECK(&c, v2 == NULL);
    T_RESULT(&c, privnum_verifier_verify(NULL, headers, 1, now, &vd), NUL);
    T_RESULT(&c, privnum_verifier_verify(v, NULL, 2, now, &vd), NUL);
    T_RESULT(&c, privnum_verifier_verify(v, null_hname, 1, now, &vd), NUL);
    T_MESSAGE(&c, "headers[0].name");
    T_RESULT(&c, privnum_verifier_verify(v, null_hvalue, 1, now, &vd), NUL);
    T_MESSAGE(&c, "headers[0].value");
    T_RESULT(&c, privnum_verifier_verify(v, headers, 1, now, NULL), NUL);
    T_RESULT(&c, privnum_verifier_forget(NULL, LIT("x")), NUL);
    T_RESULT(&c, privnum_verifier_forget(v, NULL, 3), NUL);

    /* A NULL out-parameter is refused before any work: the nonce is not consumed. */
    token tok;
    T_RESULT(&c, sign_token(s, PRIVNUM_SCHEME_AKSK, &tok), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v, tok.headers, 2, now, NULL), NUL);
    T_RESULT(&c, privnum_verifier_verify(v, tok.headers, 2, now, &vd), PRIVNUM_RESULT_OK);

    privnum_params_verifier_free(pv);
    privnum_verifier_free(v);
    privnum_signer_free(s);
    t_end(&c);
}

/* NULL with a zero length is the empty string (and an empty array). */
static void test_null_with_zero_length(void)
{
    t_case c;
    t_begin(&c, "null-with-zero-length");
    privnum_number n = { T_SENTINEL_BITS };
    privnum_signer *s = NULL;
    uint8_t buf[64];
    size_t len = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_number_parse_default(NULL, 0, &n), PRIVNUM_RESULT_NUMBER_EMPTY);
    T_CHECK(&c, n.bits == T_SENTINEL_BITS);
    T_RESULT(&c, privnum_field_check(PRIVNUM_FIELD_AREA_CODE, NULL, 0), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_field_check(PRIVNUM_FIELD_NONCE, NULL, 0),
             PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS);
    T_RESULT(&c, privnum_signer_new(NULL, 0, LIT("s"), &s), PRIVNUM_RESULT_INVALID_APP_KEY);
    T_RESULT(&c, privnum_signer_new(LIT("k"), NULL, 0, &s), PRIVNUM_RESULT_INVALID_APP_SECRET);
    T_CHECK(&c, s == NULL);
    T_RESULT(&c, privnum_params_encode(PRIVNUM_PARAMS_ENCODING_FORM, NULL, 0, NULL, 0, &len),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, len == 0);
    T_RESULT(&c,
             privnum_params_string_to_sign(PRIVNUM_PARAMS_PROFILE_RPC_V1_GET, NULL, 0, buf,
                                           sizeof buf, &len),
             PRIVNUM_RESULT_OK);
    t_text(&c, "string_to_sign", buf, len, "GET&%2F&", 8);
    privnum_verifier *v = new_verifier();
    privnum_verified vd;
    T_RESULT(&c, privnum_verifier_verify(v, NULL, 0, now_unix(), &vd), PRIVNUM_RESULT_AUTH_MISSING);
    privnum_verifier_free(v);
    t_end(&c);
}

/* ---- buffers that are too small ------------------------------------------ */

static privnum_result call_last_error(void *ctx, uint8_t *buf, size_t len, size_t *out_n);

/*
 * A size query, a too-small buffer, then the exact size: the full protocol.
 * Every function but privnum_last_error_message records the shortfall as the
 * last error.
 */
static void size_protocol(t_case *c, const char *what, size_t want,
                          privnum_result (*call)(void *ctx, uint8_t *buf, size_t len, size_t *out_n),
                          void *ctx)
{
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, NULL, 0, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    if (n != want) {
        t_fail(c, "%s: size query gave %zu, expected %zu", what, n, want);
        return;
    }
    uint8_t small[1024];
    memset(small, T_SENTINEL, sizeof small);
    n = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, small, want - 1, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    if (n != want || !t_untouched(small, sizeof small)) {
        t_fail(c, "%s: too small a buffer: out_n %zu (expected %zu), buffer touched: %d", what, n,
               want, !t_untouched(small, sizeof small));
    }
    if (call != call_last_error) {
        T_MESSAGE(c, "bytes but buf_len is");
    }
    uint8_t *exact = malloc(want);
    if (exact == NULL) {
        t_fail(c, "out of memory");
        return;
    }
    n = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, exact, want, &n), PRIVNUM_RESULT_OK);
    if (n != want) {
        t_fail(c, "%s: retry wrote %zu bytes, expected %zu", what, n, want);
    }
    free(exact);
}

static privnum_result call_e164(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_number_e164(*(const privnum_number *)ctx, buf, len, out_n);
}

static privnum_result call_sign_fresh(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_signer_sign(ctx, PRIVNUM_SCHEME_WSSE, NULL, 0, NULL, 0, buf, len, out_n);
}

static privnum_result call_nonce(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_generate_nonce(buf, len, out_n);
}

static privnum_result call_created(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_format_created(1518449420, buf, len, out_n);
}

static privnum_result call_params_sign(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    const privnum_param p[2] = { { LIT("b"), LIT("2") }, { LIT("a"), LIT("1 2") } };
    return privnum_params_sign(PRIVNUM_PARAMS_PROFILE_RPC_V1_GET, LIT("secret"), p, 2, buf, len,
                               out_n);
}

static privnum_result call_encode(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_params_encode(PRIVNUM_PARAMS_ENCODING_RFC3986, LIT("a b/c"), buf, len, out_n);
}

static privnum_result call_last_error(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_last_error_message(buf, len, out_n);
}

static void test_insufficient_size(void)
{
    t_case c;
    t_begin(&c, "insufficient-size");
    privnum_number n = mobile();
    privnum_signer *s = new_signer();
    size_protocol(&c, "e164", strlen(MOBILE), call_e164, &n);
    /* A fresh nonce and time every call, but always the same length. */
    size_t fresh = 0;
    uint8_t big[512];
    T_RESULT(&c, call_sign_fresh(s, big, sizeof big, &fresh), PRIVNUM_RESULT_OK);
    size_protocol(&c, "signer_sign", fresh, call_sign_fresh, s);
    size_protocol(&c, "generate_nonce", 32, call_nonce, NULL);
    size_protocol(&c, "format_created", PRIVNUM_CREATED_LEN, call_created, NULL);
    size_protocol(&c, "params_sign", 28, call_params_sign, NULL);
    size_protocol(&c, "params_encode", 9, call_encode, NULL);

    /* Reading the last error never changes it, even when the buffer is too small. */
    privnum_number out;
    T_RESULT(&c, privnum_number_parse_default(LIT("138-0000-002a"), &out),
             PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER);
    char before[512];
    t_last_error(before, sizeof before);
    size_protocol(&c, "last_error_message", strlen(before), call_last_error, NULL);
    char after[512];
    t_last_error(after, sizeof after);
    T_CHECK(&c, strcmp(before, after) == 0);
    T_CHECK(&c, strstr(after, "invalid character 'a' at position 12") != NULL);

    /* A number without an area code: success, nothing written, even with no buffer. */
    size_t len = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_number_area_code(n, NULL, 0, &len), PRIVNUM_RESULT_OK);
    T_CHECK(&c, len == 0);
    privnum_signer_free(s);
    t_end(&c);
}

/* ---- _free(NULL) and handles ---------------------------------------------- */

static void test_free_null_and_clone(void)
{
    t_case c;
    t_begin(&c, "free-null-and-clone");
    privnum_signer_free(NULL);
    privnum_verifier_free(NULL);
    privnum_params_verifier_free(NULL);

    /* A clone outlives the original handle. */
    privnum_signer *s = new_signer();
    privnum_signer *s2 = NULL;
    T_RESULT(&c, privnum_signer_clone(s, &s2), PRIVNUM_RESULT_OK);
    T_CHECK(&c, s2 != NULL);
    privnum_signer_free(s);
    token tok;
    T_RESULT(&c, sign_token(s2, PRIVNUM_SCHEME_AKSK, &tok), PRIVNUM_RESULT_OK);

    /* Clones of a verifier share its replay cache. */
    privnum_verifier *v = new_verifier();
    privnum_verifier *v2 = NULL;
    privnum_verified vd;
    int64_t now = now_unix();
    T_RESULT(&c, privnum_verifier_clone(v, &v2), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v, tok.headers, 2, now, &vd), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v2, tok.headers, 2, now, &vd), PRIVNUM_RESULT_AUTH_REPLAYED);
    T_RESULT(&c, privnum_verifier_forget(v2, vd.nonce, vd.nonce_len), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v, tok.headers, 2, now, &vd), PRIVNUM_RESULT_OK);
    T_CHECK(&c, vd.scheme == PRIVNUM_SCHEME_AKSK && vd.nonce_len == 32 && !vd.wsse_raw_digest);
    T_CHECK(&c, vd.created >= now - 5 && vd.created <= now + 5);
    privnum_verifier_free(v);
    privnum_verifier_free(v2);

    privnum_params_verifier *pv = new_params_verifier();
    privnum_params_verifier *pv2 = NULL;
    T_RESULT(&c, privnum_params_verifier_clone(pv, &pv2), PRIVNUM_RESULT_OK);
    privnum_params_verifier_free(pv);
    T_RESULT(&c, privnum_params_verifier_forget(pv2, LIT("nonce")), PRIVNUM_RESULT_OK);
    privnum_params_verifier_free(pv2);
    privnum_signer_free(s2);
    t_end(&c);
}

/* ---- invalid UTF-8 --------------------------------------------------------- */

static void test_invalid_utf8(void)
{
    t_case c;
    t_begin(&c, "invalid-utf8");
    const privnum_result U = PRIVNUM_RESULT_INVALID_UTF8;
    privnum_number n = { T_SENTINEL_BITS };
    uint32_t field = 0;
    int64_t t = 0;
    uint8_t buf[256];
    size_t len = T_SENTINEL_SIZE;
    privnum_signer *s = new_signer();
    privnum_signer *s2 = NULL;
    privnum_verifier *v = new_verifier();
    privnum_verifier *v2 = NULL;
    privnum_params_verifier *pv = new_params_verifier();
    privnum_params_verifier *pv2 = NULL;
    privnum_verified vd;
    privnum_params_verified pvd;
    int64_t now = now_unix();

    T_RESULT(&c, privnum_number_parse_default(BAD, &n), U);
    T_MESSAGE(&c, "input is not valid UTF-8 (bad byte at offset 1)");
    T_RESULT(&c, privnum_number_parse(BAD, 86, &n), U);
    T_CHECK(&c, n.bits == T_SENTINEL_BITS);
    T_RESULT(&c, privnum_field_check(PRIVNUM_FIELD_USER_DATA, BAD), U);
    T_RESULT(&c, privnum_field_from_name(BAD, &field), U);
    T_RESULT(&c, privnum_signer_new(BAD, LIT("s"), &s2), U);
    T_MESSAGE(&c, "app_key");
    T_RESULT(&c, privnum_signer_new(LIT("k"), BAD, &s2), U);
    T_MESSAGE(&c, "app_secret");
    T_RESULT(&c, privnum_signer_sign(s, PRIVNUM_SCHEME_AKSK, BAD, NULL, 0, buf, sizeof buf, &len), U);
    T_MESSAGE(&c, "nonce");
    T_RESULT(&c, privnum_signer_sign(s, PRIVNUM_SCHEME_AKSK, NULL, 0, BAD, buf, sizeof buf, &len), U);
    T_MESSAGE(&c, "created");
    T_RESULT(&c, privnum_signer_digest(s, PRIVNUM_SCHEME_AKSK, BAD, LIT("c"), buf, sizeof buf, &len),
             U);
    T_RESULT(&c, privnum_parse_created(BAD, &t), U);
    T_RESULT(&c, privnum_verifier_new(BAD, LIT("s"), NULL, &v2), U);
    T_RESULT(&c, privnum_verifier_new(LIT("k"), BAD, NULL, &v2), U);
    const privnum_header bad_header[2] = { { LIT("Authorization"), LIT("AKSK") },
                                           { LIT("X-AKSK"), BAD } };
    T_RESULT(&c, privnum_verifier_verify(v, bad_header, 2, now, &vd), U);
    T_MESSAGE(&c, "headers[1].value");
    T_RESULT(&c, privnum_verifier_forget(v, BAD), U);
    T_RESULT(&c, privnum_params_encode(PRIVNUM_PARAMS_ENCODING_FORM, BAD, buf, sizeof buf, &len), U);
    const privnum_param bad_param[2] = { { LIT("a"), LIT("1") }, { BAD, LIT("2") } };
    T_RESULT(&c,
             privnum_params_string_to_sign(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, bad_param, 2, buf,
                                           sizeof buf, &len),
             U);
    T_MESSAGE(&c, "params[1].name");
    T_RESULT(&c,
             privnum_params_sign(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, BAD, bad_param, 1, buf,
                                 sizeof buf, &len),
             U);
    T_MESSAGE(&c, "secret");
    T_RESULT(&c, privnum_params_verifier_new(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, BAD, NULL, &pv2), U);
    T_RESULT(&c, privnum_params_verifier_verify(pv, bad_param, 2, now, &pvd), U);
    T_RESULT(&c, privnum_params_verifier_forget(pv, BAD), U);
    T_CHECK(&c, len == T_SENTINEL_SIZE && s2 == NULL && v2 == NULL && pv2 == NULL);

    privnum_params_verifier_free(pv);
    privnum_verifier_free(v);
    privnum_signer_free(s);
    t_end(&c);
}

/* ---- unknown enum values and invalid numbers ------------------------------ */

static void test_unknown_values(void)
{
    t_case c;
    t_begin(&c, "unknown-values");
    const privnum_result A = PRIVNUM_RESULT_INVALID_ARGUMENT;
    const uint32_t bad_codes[] = { 0, 3, 28, 1000, UINT32_MAX };
    uint8_t buf[512];
    size_t len = T_SENTINEL_SIZE;
    size_t mn = T_SENTINEL_SIZE;
    size_t mx = T_SENTINEL_SIZE;
    privnum_signer *s = new_signer();
    privnum_params_verifier *pv = NULL;
    privnum_number n = mobile();
    const privnum_param p[1] = { { LIT("a"), LIT("b") } };

    for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
        uint32_t code = bad_codes[i];
        /* schemes and encodings: 1 and 2 only */
        T_RESULT(&c, privnum_signer_sign(s, code, NULL, 0, NULL, 0, buf, sizeof buf, &len), A);
        T_RESULT(&c, privnum_signer_digest(s, code, LIT("n"), LIT("c"), buf, sizeof buf, &len), A);
        T_CHECK(&c, privnum_scheme_name(code) == NULL);
        T_CHECK(&c, privnum_scheme_header_name(code) == NULL);
        T_CHECK(&c, privnum_scheme_authorization(code) == NULL);
        T_RESULT(&c, privnum_params_encode(code, LIT("a"), buf, sizeof buf, &len), A);
        if (code != 3) {
            /* fields: 1..27 */
            T_RESULT(&c, privnum_field_check(code, LIT("1234")), A);
            T_RESULT(&c, privnum_field_bounds(code, &mn, &mx), A);
            T_RESULT(&c, privnum_number_check_field(n, code), A);
            T_CHECK(&c, privnum_field_name(code) == NULL);
            /* profiles: 1..3 */
            T_RESULT(&c, privnum_params_sign(code, LIT("s"), p, 1, buf, sizeof buf, &len), A);
            T_RESULT(&c, privnum_params_string_to_sign(code, p, 1, buf, sizeof buf, &len), A);
            T_RESULT(&c, privnum_params_verifier_new(code, LIT("s"), NULL, &pv), A);
        }
        if (code == 0 || code > 5) {
            T_CHECK(&c, privnum_number_class_name(code) == NULL);
        }
    }
    T_MESSAGE(&c, "not a known");
    T_CHECK(&c, len == T_SENTINEL_SIZE && mn == T_SENTINEL_SIZE && mx == T_SENTINEL_SIZE);
    T_CHECK(&c, pv == NULL);
    uint32_t field = 12345;
    T_RESULT(&c, privnum_field_from_name(LIT("axb.nope"), &field), A);
    T_CHECK(&c, field == 12345);
    T_CHECK(&c, privnum_scheme_name(PRIVNUM_SCHEME_AKSK) != NULL &&
                    strcmp(privnum_scheme_name(PRIVNUM_SCHEME_AKSK), "aksk") == 0);
    T_CHECK(&c, privnum_scheme_header_name(PRIVNUM_SCHEME_WSSE) != NULL &&
                    strcmp(privnum_scheme_header_name(PRIVNUM_SCHEME_WSSE), "X-WSSE") == 0);

    /* default_country beyond uint16_t, and codes that are not assigned. */
    privnum_number out = { T_SENTINEL_BITS };
    T_RESULT(&c, privnum_number_parse(LIT("13800000021"), 70000, &out), A);
    T_MESSAGE(&c, "default_country 70000");
    T_RESULT(&c, privnum_number_parse(LIT("13800000021"), 1000, &out),
             PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE);
    T_RESULT(&c, privnum_number_parse(LIT("13800000021"), PRIVNUM_COUNTRY_NONE, &out),
             PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE);
    T_CHECK(&c, out.bits == T_SENTINEL_BITS);

    /* Bits that no parse produced. */
    const uint64_t bad_bits[] = { 0, UINT64_MAX, 1, n.bits ^ (UINT64_C(1) << 57) };
    for (size_t i = 0; i < sizeof bad_bits / sizeof bad_bits[0]; i++) {
        privnum_number bad = { bad_bits[i] };
        for (size_t r = 0; r < N_RENDERS; r++) {
            T_RESULT(&c, RENDERS[r].f(bad, buf, sizeof buf, &len), A);
        }
        T_RESULT(&c, privnum_number_from_bits(bad.bits, &out), A);
        T_RESULT(&c, privnum_number_check_field(bad, PRIVNUM_FIELD_AXB_CALLER_NUM), A);
        T_CHECK(&c, privnum_number_class(bad) == 0);
        T_CHECK(&c, privnum_number_country_code(bad) == 0);
        T_CHECK(&c, !privnum_number_is_bindable(bad));
        T_CHECK(&c, !privnum_number_can_call_x(bad));
    }
    T_CHECK(&c, len == T_SENTINEL_SIZE && out.bits == T_SENTINEL_BITS);
    privnum_signer_free(s);
    t_end(&c);
}

/* ---- version and result descriptions -------------------------------------- */

static void test_version(void)
{
    t_case c;
    t_begin(&c, "version");
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", PRIVNUM_VERSION_MAJOR, PRIVNUM_VERSION_MINOR,
             PRIVNUM_VERSION_PATCH);
    const char *got = privnum_version();
    T_CHECK(&c, got != NULL);
    if (got != NULL && strcmp(got, want) != 0) {
        t_fail(&c, "privnum_version() is \"%s\" but the header says %s", got, want);
    }
    t_end(&c);
}

#define R(name) { PRIVNUM_RESULT_##name, #name }
static const struct {
    privnum_result code;
    const char *name;
} RESULTS[] = {
    R(OK),
    R(NULL_PARAMETER),
    R(PANIC),
    R(INSUFFICIENT_SIZE),
    R(INVALID_UTF8),
    R(INVALID_ARGUMENT),
    R(RANDOM_UNAVAILABLE),
    R(NUMBER_EMPTY),
    R(NUMBER_INVALID_CHARACTER),
    R(NUMBER_MISPLACED_PLUS),
    R(NUMBER_TOO_SHORT),
    R(NUMBER_TOO_LONG),
    R(NUMBER_UNKNOWN_COUNTRY_CODE),
    R(NUMBER_MISSING_COUNTRY_CODE),
    R(NUMBER_INVALID_FOR_COUNTRY),
    R(FIELD_OUT_OF_BOUNDS),
    R(INVALID_APP_KEY),
    R(INVALID_APP_SECRET),
    R(INVALID_NONCE),
    R(INVALID_CREATED),
    R(INVALID_PARAMETERS),
    R(AUTH_MISSING),
    R(AUTH_MALFORMED),
    R(AUTH_WRONG_KEY),
    R(AUTH_BAD_DIGEST),
    R(AUTH_STALE),
    R(AUTH_REPLAYED),
    R(PUSH_INVALID_JSON),
    R(PUSH_MISSING_FIELD),
    R(PUSH_WRONG_TYPE),
    R(PUSH_INVALID_VALUE),
    R(PUSH_UNKNOWN_KIND),
    R(PUSH_TOO_LARGE),
    R(REPLY_INVALID),
    R(RULE_VIOLATION),
    R(BINDING_NOT_FOUND),
    R(INVALID_TRANSITION),
    R(POOL_EXHAUSTED),
    R(BINDING_EXISTS),
    R(JOURNAL_IO),
    R(JOURNAL_CORRUPT),
    R(INVALID_COMMAND),
    R(PLATFORM_RETRY),
    R(PLATFORM_THROTTLED),
    R(PLATFORM_INVALID_REQUEST),
    R(PLATFORM_AUTH),
    R(PLATFORM_CLOCK_SKEW),
    R(PLATFORM_CONFLICT),
    R(PLATFORM_NOT_FOUND),
    R(PLATFORM_EXHAUSTED),
    R(PLATFORM_FORBIDDEN),
    R(PLATFORM_UNKNOWN),
    R(RESPONSE_INVALID),
    R(TRANSPORT_NOT_SENT),
    R(TRANSPORT_NO_RESPONSE),
    R(OUTCOME_UNKNOWN),
};
#undef R
#define N_RESULTS (sizeof RESULTS / sizeof RESULTS[0])

static void test_result_strings(void)
{
    t_case c;
    t_begin(&c, "result-strings");
    for (size_t i = 0; i < N_RESULTS; i++) {
        const char *name = privnum_result_name(RESULTS[i].code);
        const char *str = privnum_result_str(RESULTS[i].code);
        if (name == NULL || strcmp(name, RESULTS[i].name) != 0) {
            t_fail(&c, "privnum_result_name(%u) is %s, expected %s", (unsigned)RESULTS[i].code,
                   name ? name : "NULL", RESULTS[i].name);
        }
        if (str == NULL || str[0] == '\0' || strcmp(str, "unknown result code") == 0) {
            t_fail(&c, "privnum_result_str(%u) is %s", (unsigned)RESULTS[i].code,
                   str ? str : "NULL");
        }
    }
    T_CHECK(&c, strcmp(privnum_result_str(PRIVNUM_RESULT_OK), "ok") == 0);
    T_CHECK(&c, strcmp(privnum_result_str(PRIVNUM_RESULT_NUMBER_EMPTY), "the number is empty") == 0);
    /* Every number: a description always; a name exactly for the codes above. */
    int named = 0;
    for (uint32_t code = 0; code <= 2000; code++) {
        const char *str = privnum_result_str(code);
        const char *name = privnum_result_name(code);
        if (str == NULL) {
            t_fail(&c, "privnum_result_str(%u) is NULL", (unsigned)code);
            continue;
        }
        if (name == NULL) {
            if (strcmp(str, "unknown result code") != 0) {
                t_fail(&c, "code %u has no name but describes itself as \"%s\"", (unsigned)code, str);
            }
            continue;
        }
        named++;
        bool listed = false;
        for (size_t i = 0; i < N_RESULTS; i++) {
            listed = listed || RESULTS[i].code == code;
        }
        if (!listed) {
            t_fail(&c, "code %u (%s) is not a PRIVNUM_RESULT_* known to this test", (unsigned)code,
                   name);
        }
    }
    T_CHECK(&c, named == (int)N_RESULTS);
    T_CHECK(&c, privnum_result_name(UINT32_MAX) == NULL);
    T_CHECK(&c, strcmp(privnum_result_str(UINT32_MAX), "unknown result code") == 0);
    t_end(&c);
}

/* ---- the last error is per thread ----------------------------------------- */

typedef struct error_thread {
    pthread_barrier_t *barrier;
    int which;
    char initial[512];
    char message[512];
    privnum_result result;
} error_thread;

static void *error_thread_main(void *arg)
{
    error_thread *e = arg;
    t_last_error(e->initial, sizeof e->initial);
    if (e->which == 0) {
        e->result = privnum_field_check(PRIVNUM_FIELD_NONCE, NULL, 0);
    } else {
        privnum_signer *s = NULL;
        e->result = privnum_signer_new(LIT("bad key"), LIT("s"), &s);
    }
    /* Both threads have failed before either reads its message. */
    pthread_barrier_wait(e->barrier);
    t_last_error(e->message, sizeof e->message);
    return NULL;
}

static void test_last_error_is_thread_local(void)
{
    t_case c;
    t_begin(&c, "last-error-thread-local");
    privnum_number n;
    T_RESULT(&c, privnum_number_parse_default(LIT("12a"), &n),
             PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER);
    char mine[512];
    t_last_error(mine, sizeof mine);
    T_CHECK(&c, strstr(mine, "invalid character 'a' at position 2") != NULL);
    /* Successful calls leave it alone. */
    T_RESULT(&c, privnum_number_parse_default(LIT(MOBILE), &n), PRIVNUM_RESULT_OK);
    T_MESSAGE(&c, "invalid character 'a' at position 2");

    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    error_thread threads[2];
    pthread_t ids[2];
    for (int i = 0; i < 2; i++) {
        memset(&threads[i], 0, sizeof threads[i]);
        threads[i].barrier = &barrier;
        threads[i].which = i;
        if (pthread_create(&ids[i], NULL, error_thread_main, &threads[i]) != 0) {
            t_fail(&c, "pthread_create failed");
            return;
        }
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(ids[i], NULL);
    }
    pthread_barrier_destroy(&barrier);
    T_CHECK(&c, threads[0].initial[0] == '\0' && threads[1].initial[0] == '\0');
    T_CHECK(&c, threads[0].result == PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS);
    T_CHECK(&c, threads[1].result == PRIVNUM_RESULT_INVALID_APP_KEY);
    if (strstr(threads[0].message, "nonce takes 1 to 128 characters") == NULL) {
        t_fail(&c, "thread 0 read \"%s\"", threads[0].message);
    }
    if (strstr(threads[1].message, "app key") == NULL) {
        t_fail(&c, "thread 1 read \"%s\"", threads[1].message);
    }
    /* The main thread's message is unchanged. */
    T_MESSAGE(&c, "invalid character 'a' at position 2");
    t_end(&c);
}

/* ---- handles shared between threads --------------------------------------- */

#define N_THREADS 8
#define N_ROUNDS 40

typedef struct shared {
    const privnum_signer *signer;
    const privnum_verifier *verifier;
    const privnum_params_verifier *params_verifier;
    pthread_barrier_t *barrier;
    const token *race; /* verified by every thread at once: exactly one wins */
} shared;

typedef struct worker {
    const shared *sh;
    int index;
    int failures;
    char first_failure[256];
    privnum_result race_result;
} worker;

__attribute__((format(printf, 2, 3))) static void worker_fail(worker *w, const char *fmt, ...)
{
    if (w->failures++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->first_failure, sizeof w->first_failure, fmt, ap);
        va_end(ap);
    }
}

static void worker_params_round(worker *w, int round, int64_t now)
{
    char nonce[64];
    uint8_t created[PRIVNUM_CREATED_LEN];
    size_t created_n = 0;
    uint8_t sig[64];
    size_t sig_n = 0;
    snprintf(nonce, sizeof nonce, "t%d-r%d", w->index, round);
    if (privnum_format_created(now, created, sizeof created, &created_n) != PRIVNUM_RESULT_OK) {
        worker_fail(w, "format_created failed");
        return;
    }
    privnum_param p[4] = {
        { LIT("callId"), U8(nonce), strlen(nonce) },
        { LIT("signatureNonce"), U8(nonce), strlen(nonce) },
        { LIT("timestamp"), created, created_n },
        { LIT("signature"), NULL, 0 },
    };
    privnum_result r = privnum_params_sign(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, LIT("secret"), p, 3,
                                           sig, sizeof sig, &sig_n);
    if (r != PRIVNUM_RESULT_OK) {
        worker_fail(w, "params_sign: %s", t_name(r));
        return;
    }
    p[3].value = sig;
    p[3].value_len = sig_n;
    privnum_params_verified out;
    r = privnum_params_verifier_verify(w->sh->params_verifier, p, 4, now, &out);
    if (r != PRIVNUM_RESULT_OK || !out.has_timestamp || out.timestamp != now) {
        worker_fail(w, "params verify: %s", t_name(r));
    }
    r = privnum_params_verifier_verify(w->sh->params_verifier, p, 4, now, &out);
    if (r != PRIVNUM_RESULT_AUTH_REPLAYED) {
        worker_fail(w, "params replay: %s", t_name(r));
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    const shared *sh = w->sh;
    /* Odd workers use their own handles to the shared objects. */
    privnum_signer *own_signer = NULL;
    privnum_verifier *own_verifier = NULL;
    const privnum_signer *signer = sh->signer;
    const privnum_verifier *verifier = sh->verifier;
    if (w->index % 2 == 1) {
        if (privnum_signer_clone(sh->signer, &own_signer) != PRIVNUM_RESULT_OK ||
            privnum_verifier_clone(sh->verifier, &own_verifier) != PRIVNUM_RESULT_OK) {
            worker_fail(w, "clone failed");
        } else {
            signer = own_signer;
            verifier = own_verifier;
        }
    }
    for (int round = 0; round < N_ROUNDS; round++) {
        int64_t now = now_unix();
        token t;
        uint32_t scheme = round % 2 ? PRIVNUM_SCHEME_WSSE : PRIVNUM_SCHEME_AKSK;
        privnum_result r = sign_token(signer, scheme, &t);
        if (r != PRIVNUM_RESULT_OK) {
            worker_fail(w, "sign: %s", t_name(r));
            continue;
        }
        privnum_verified out;
        r = privnum_verifier_verify(verifier, t.headers, 2, now, &out);
        if (r != PRIVNUM_RESULT_OK || out.scheme != scheme) {
            worker_fail(w, "verify round %d: %s", round, t_name(r));
        }
        r = privnum_verifier_verify(verifier, t.headers, 2, now, &out);
        if (r != PRIVNUM_RESULT_AUTH_REPLAYED) {
            worker_fail(w, "replay round %d: %s", round, t_name(r));
        }
        worker_params_round(w, round, now);
    }
    /* Everyone verifies the same token at once. */
    pthread_barrier_wait(sh->barrier);
    privnum_verified out;
    w->race_result = privnum_verifier_verify(verifier, sh->race->headers, 2, now_unix(), &out);
    privnum_verifier_free(own_verifier);
    privnum_signer_free(own_signer);
    return NULL;
}

static void test_threads(void)
{
    t_case c;
    t_begin(&c, "threads-share-handles");
    privnum_signer *signer = new_signer();
    privnum_verifier *original = new_verifier();
    privnum_verifier *verifier = NULL;
    /* The threads use a second handle; the first is released right away. */
    T_RESULT(&c, privnum_verifier_clone(original, &verifier), PRIVNUM_RESULT_OK);
    privnum_verifier_free(original);
    privnum_params_verifier *pv = new_params_verifier();
    token race;
    T_RESULT(&c, sign_token(signer, PRIVNUM_SCHEME_AKSK, &race), PRIVNUM_RESULT_OK);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, N_THREADS);
    shared sh = { signer, verifier, pv, &barrier, &race };
    worker workers[N_THREADS];
    pthread_t ids[N_THREADS];
    int started = 0;
    for (int i = 0; i < N_THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].sh = &sh;
        workers[i].index = i;
        if (pthread_create(&ids[i], NULL, worker_main, &workers[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2); /* the barrier would never open */
        }
        started++;
    }
    int winners = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        if (workers[i].failures > 0) {
            t_fail(&c, "thread %d: %d failures, first: %s", i, workers[i].failures,
                   workers[i].first_failure);
        }
        if (workers[i].race_result == PRIVNUM_RESULT_OK) {
            winners++;
        } else if (workers[i].race_result != PRIVNUM_RESULT_AUTH_REPLAYED) {
            t_fail(&c, "thread %d: racing verify gave %s", i, t_name(workers[i].race_result));
        }
    }
    if (winners != 1) {
        t_fail(&c, "%d threads accepted the same token, expected exactly 1", winners);
    }
    pthread_barrier_destroy(&barrier);
    privnum_params_verifier_free(pv);
    privnum_verifier_free(verifier);
    privnum_signer_free(signer);
    t_end(&c);
}

/* ---- settings ------------------------------------------------------------- */

static void test_config(void)
{
    t_case c;
    t_begin(&c, "verifier-config");
    privnum_verifier_config cfg;
    memset(&cfg, T_SENTINEL, sizeof cfg);
    T_RESULT(&c, privnum_verifier_config_default(&cfg), PRIVNUM_RESULT_OK);
    T_CHECK(&c, cfg.max_age_secs == 21600 && cfg.max_future_secs == 300);
    T_CHECK(&c, cfg.replay_capacity == 100000 && cfg.accept_wsse);

    /* Without WSSE, an X-WSSE header counts as missing. */
    cfg.accept_wsse = false;
    privnum_verifier *v = NULL;
    T_RESULT(&c, privnum_verifier_new(LIT("appkey"), LIT("secret"), &cfg, &v), PRIVNUM_RESULT_OK);
    privnum_signer *s = new_signer();
    token t;
    privnum_verified out;
    T_RESULT(&c, sign_token(s, PRIVNUM_SCHEME_WSSE, &t), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v, t.headers, 2, now_unix(), &out),
             PRIVNUM_RESULT_AUTH_MISSING);
    /* A token from the future beyond the skew allowance is stale. */
    T_RESULT(&c, sign_token(s, PRIVNUM_SCHEME_AKSK, &t), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_verifier_verify(v, t.headers, 2, now_unix() - 3600, &out),
             PRIVNUM_RESULT_AUTH_STALE);
    /* A signer with a given nonce and created, checked field by field. */
    uint8_t buf[512];
    size_t n = 0;
    T_RESULT(&c,
             privnum_signer_sign(s, PRIVNUM_SCHEME_AKSK, LIT("abc123"), LIT("2024-05-01T08:00:00Z"),
                                 buf, sizeof buf, &n),
             PRIVNUM_RESULT_OK);
    privnum_header h[1] = { { LIT("x-aksk"), buf, n } };
    T_RESULT(&c, privnum_verifier_verify(v, h, 1, 1714550400, &out), PRIVNUM_RESULT_OK);
    T_CHECK(&c, out.created == 1714550400 && out.nonce_len == 6 &&
                    memcmp(out.nonce, "abc123", 6) == 0 && out.nonce[6] == 0);
    privnum_signer_free(s);
    privnum_verifier_free(v);
    t_end(&c);
}

int main(void)
{
    test_null_parameters();
    test_null_with_zero_length();
    test_insufficient_size();
    test_free_null_and_clone();
    test_invalid_utf8();
    test_unknown_values();
    test_version();
    test_result_strings();
    test_last_error_is_thread_local();
    test_threads();
    test_config();
    return t_summary();
}

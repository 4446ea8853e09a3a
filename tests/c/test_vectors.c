/*
 * Runs every case of the JSON files in tests/vectors (through the generated
 * vectors_gen.h) against the C ABI, checking what core/tests/vectors.rs checks,
 * and additionally that failing calls leave their out-parameters untouched and
 * set the thread's last error message.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privnum.h"
#include "testutil.h"
#include "vectors_gen.h"

#define U8(s) ((const uint8_t *)(s))

/* A distinctive last error (unknown field 0), so that a later failure can be
 * shown to set its own message. */
static void prime_last_error(void)
{
    (void)privnum_field_check(0, NULL, 0);
}

/*
 * Run one fallible step with a primed last error and check its outcome: the
 * result code, and for an expected failure a fresh, non-empty message.
 * Returns true when the step succeeded as expected (so the caller checks the
 * outputs).
 */
static bool outcome(t_case *c, const char *what, privnum_result got, privnum_result want,
                    const char *primed)
{
    if (got != want) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        t_fail(c, "%s returned %s (%u), expected %s (%u); last error: %s", what, t_name(got),
               (unsigned)got, t_name(want), (unsigned)want, msg);
        return false;
    }
    if (want != PRIVNUM_RESULT_OK) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        if (msg[0] == '\0' || strcmp(msg, primed) == 0) {
            t_fail(c, "%s failed with %s but did not set its own last error message", what,
                   t_name(got));
        }
        return false;
    }
    return true;
}

/* Prime the last error and remember the primed message. */
static void prime(char *primed, size_t cap)
{
    prime_last_error();
    t_last_error(primed, cap);
}

/* ---- numbers.json ---------------------------------------------------------- */

static privnum_result parse_as(const vec_number_case *k, const uint8_t *input, size_t len,
                               privnum_number *out)
{
    switch (k->country_mode) {
    case VEC_COUNTRY_DEFAULT:
        return privnum_number_parse_default(input, len, out);
    case VEC_COUNTRY_NONE:
        return privnum_number_parse(input, len, PRIVNUM_COUNTRY_NONE, out);
    default:
        return privnum_number_parse(input, len, k->country, out);
    }
}

typedef privnum_result (*render_fn)(privnum_number, uint8_t *, size_t, size_t *);

static void check_render(t_case *c, const char *what, render_fn f, privnum_number n, vec_str want)
{
    uint8_t buf[64];
    size_t len = T_SENTINEL_SIZE;
    privnum_result r = f(n, buf, sizeof buf, &len);
    if (r != PRIVNUM_RESULT_OK) {
        t_fail(c, "%s returned %s", what, t_name(r));
        return;
    }
    if (want.ptr == NULL) {
        /* No value (area code of a number that is not a fixed line). */
        if (len != 0) {
            t_fail(c, "%s: expected none, got \"%.*s\"", what, (int)len, (const char *)buf);
        }
        return;
    }
    t_text(c, what, buf, len, want.ptr, want.len);
}

static void run_numbers(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_number_cases); i++) {
        const vec_number_case *k = &vec_number_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "%s", k->id);

        privnum_number n = { T_SENTINEL_BITS };
        prime(primed, sizeof primed);
        privnum_result r = parse_as(k, U8(k->input.ptr), k->input.len, &n);
        bool ok = outcome(&c, "parse", r, k->error, primed);
        if (k->error != PRIVNUM_RESULT_OK && n.bits != T_SENTINEL_BITS) {
            t_fail(&c, "parse failed but wrote *out");
        }
        if (k->country_mode == VEC_COUNTRY_DEFAULT) {
            /* The default is +86: passing it explicitly gives the same outcome. */
            privnum_number m = { T_SENTINEL_BITS };
            privnum_result r86 = privnum_number_parse(U8(k->input.ptr), k->input.len,
                                                      PRIVNUM_DEFAULT_COUNTRY_CODE, &m);
            if (r86 != r || m.bits != n.bits) {
                t_fail(&c, "parse with default_country 86 differs from parse_default");
            }
        }
        if (ok) {
            check_render(&c, "e164", privnum_number_e164, n, k->e164);
            check_render(&c, "query", privnum_number_query, n, k->query);
            check_render(&c, "masked", privnum_number_masked, n, k->masked);
            check_render(&c, "national", privnum_number_national, n, k->national);
            check_render(&c, "national_significant", privnum_number_national_significant, n,
                         k->national_significant);
            check_render(&c, "area_code", privnum_number_area_code, n, k->area_code);
            uint32_t cls = privnum_number_class(n);
            const char *cls_name = privnum_number_class_name(cls);
            if (cls != k->number_class || cls_name == NULL || strcmp(cls_name, k->class_name) != 0) {
                t_fail(&c, "class %u (%s), expected %u (%s)", (unsigned)cls,
                       cls_name ? cls_name : "NULL", (unsigned)k->number_class, k->class_name);
            }
            if (privnum_number_country_code(n) != k->country_code) {
                t_fail(&c, "country_code %u, expected %u", (unsigned)privnum_number_country_code(n),
                       (unsigned)k->country_code);
            }
            if (privnum_number_is_bindable(n) != k->bindable) {
                t_fail(&c, "is_bindable is %d, expected %d", privnum_number_is_bindable(n),
                       k->bindable);
            }
            if (privnum_number_can_call_x(n) != k->can_call_x) {
                t_fail(&c, "can_call_x is %d, expected %d", privnum_number_can_call_x(n),
                       k->can_call_x);
            }
            /* Parsing the E.164 form again gives the same number, and the bits round-trip. */
            privnum_number again = { T_SENTINEL_BITS };
            T_RESULT(&c, privnum_number_parse_default(U8(k->e164.ptr), k->e164.len, &again),
                     PRIVNUM_RESULT_OK);
            T_CHECK(&c, again.bits == n.bits);
            privnum_number rebuilt = { T_SENTINEL_BITS };
            T_RESULT(&c, privnum_number_from_bits(n.bits, &rebuilt), PRIVNUM_RESULT_OK);
            T_CHECK(&c, rebuilt.bits == n.bits);
            /* Trailing garbage after a valid input is never silently accepted. */
            uint8_t *x = malloc(k->input.len + 1);
            if (x == NULL) {
                t_fail(&c, "out of memory");
            } else {
                memcpy(x, k->input.ptr, k->input.len);
                x[k->input.len] = 'x';
                privnum_number bad = { T_SENTINEL_BITS };
                T_RESULT(&c, parse_as(k, x, k->input.len + 1, &bad),
                         PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER);
                T_CHECK(&c, bad.bits == T_SENTINEL_BITS);
                free(x);
            }
        }
        t_end(&c);
    }
}

/* ---- fields.json ----------------------------------------------------------- */

static void run_fields(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_field_cases); i++) {
        const vec_field_case *k = &vec_field_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "%s", k->id);

        uint32_t field = 0;
        if (privnum_field_from_name(U8(k->field.ptr), k->field.len, &field) != PRIVNUM_RESULT_OK) {
            t_fail(&c, "unknown field %s", k->field.ptr);
            t_end(&c);
            continue;
        }
        const char *name = privnum_field_name(field);
        T_CHECK(&c, name != NULL && strcmp(name, k->field.ptr) == 0);
        size_t min = T_SENTINEL_SIZE;
        size_t max = T_SENTINEL_SIZE;
        T_RESULT(&c, privnum_field_bounds(field, &min, &max), PRIVNUM_RESULT_OK);
        if (min != k->min || max != k->max) {
            t_fail(&c, "bounds [%zu, %zu], expected [%zu, %zu]", min, max, k->min, k->max);
        }
        privnum_result r;
        prime(primed, sizeof primed);
        if (k->is_number) {
            privnum_number n = { T_SENTINEL_BITS };
            r = privnum_number_parse_default(U8(k->value.ptr), k->value.len, &n);
            if (r != PRIVNUM_RESULT_OK) {
                t_fail(&c, "number %s does not parse: %s", k->value.ptr, t_name(r));
                t_end(&c);
                continue;
            }
            r = privnum_number_check_field(n, field);
        } else {
            r = privnum_field_check(field, U8(k->value.ptr), k->value.len);
        }
        (void)outcome(&c, "check", r, k->error, primed);
        t_end(&c);
    }

    /* Every field the library knows is covered by the vectors. */
    t_case c;
    t_begin(&c, "fields.json: every field has a vector");
    for (uint32_t code = 0; code <= 1000; code++) {
        const char *name = privnum_field_name(code);
        if (name == NULL) {
            continue;
        }
        bool seen = false;
        for (size_t i = 0; i < VEC_COUNT(vec_field_cases) && !seen; i++) {
            seen = strcmp(vec_field_cases[i].field.ptr, name) == 0;
        }
        if (!seen) {
            t_fail(&c, "no vector for field %s", name);
        }
    }
    t_end(&c);
}

/* ---- signing.json ---------------------------------------------------------- */

static bool contains(const uint8_t *hay, size_t hay_n, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= hay_n && i <= hay_n - n; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static void check_static(t_case *c, const char *what, const char *got, vec_str want)
{
    if (got == NULL) {
        t_fail(c, "%s is NULL", what);
        return;
    }
    t_text(c, what, U8(got), strlen(got), want.ptr, want.len);
}

static void run_sign(t_case *c, const vec_sign_case *k)
{
    char primed[512];
    privnum_signer *signer = (privnum_signer *)&signer; /* sentinel: not NULL, not a handle */
    privnum_signer *const sentinel = signer;
    prime(primed, sizeof primed);
    privnum_result r = privnum_signer_new(U8(k->app_key.ptr), k->app_key.len, U8(k->app_secret.ptr),
                                          k->app_secret.len, &signer);
    if (r != PRIVNUM_RESULT_OK) {
        if (signer != sentinel) {
            t_fail(c, "signer_new failed but wrote *out");
        }
        (void)outcome(c, "signer_new", r, k->error, primed);
        return;
    }
    uint8_t buf[1024];
    size_t len = T_SENTINEL_SIZE;
    memset(buf, T_SENTINEL, sizeof buf);
    prime(primed, sizeof primed);
    r = privnum_signer_sign(signer, k->scheme, U8(k->nonce.ptr), k->nonce.len, U8(k->created.ptr),
                            k->created.len, buf, sizeof buf, &len);
    if (k->error != PRIVNUM_RESULT_OK && (len != T_SENTINEL_SIZE || !t_untouched(buf, sizeof buf))) {
        t_fail(c, "sign failed but wrote its output");
    }
    if (outcome(c, "sign", r, k->error, primed)) {
        t_text(c, "header", buf, len, k->header.ptr, k->header.len);
        uint8_t digest[256];
        size_t digest_n = 0;
        T_RESULT(c,
                 privnum_signer_digest(signer, k->scheme, U8(k->nonce.ptr), k->nonce.len,
                                       U8(k->created.ptr), k->created.len, digest, sizeof digest,
                                       &digest_n),
                 PRIVNUM_RESULT_OK);
        t_text(c, "digest", digest, digest_n, k->digest.ptr, k->digest.len);
        check_static(c, "header_name", privnum_scheme_header_name(k->scheme), k->header_name);
        check_static(c, "authorization", privnum_scheme_authorization(k->scheme),
                     k->authorization);
        /* The token carries the given nonce and created. */
        char attr[300];
        snprintf(attr, sizeof attr, "Nonce=\"%.*s\"", (int)k->nonce.len, k->nonce.ptr);
        T_CHECK(c, contains(buf, len, attr));
        snprintf(attr, sizeof attr, "Created=\"%.*s\"", (int)k->created.len, k->created.ptr);
        T_CHECK(c, contains(buf, len, attr));
    }
    privnum_signer_free(signer);
}

static void run_signing(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_sign_cases); i++) {
        const vec_sign_case *k = &vec_sign_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "%s", k->id);
        switch (k->op) {
        case VEC_SIGN_OP_SIGN:
            run_sign(&c, k);
            break;
        case VEC_SIGN_OP_NEW_SIGNER: {
            privnum_signer *signer = (privnum_signer *)&signer; /* sentinel: not NULL, not a handle */
            privnum_signer *const sentinel = signer;
            prime(primed, sizeof primed);
            privnum_result r = privnum_signer_new(U8(k->app_key.ptr), k->app_key.len,
                                                  U8(k->app_secret.ptr), k->app_secret.len, &signer);
            if (r != PRIVNUM_RESULT_OK && signer != sentinel) {
                t_fail(&c, "signer_new failed but wrote *out");
            }
            (void)outcome(&c, "signer_new", r, k->error, primed);
            privnum_signer_free(r == PRIVNUM_RESULT_OK ? signer : NULL);
            break;
        }
        case VEC_SIGN_OP_FORMAT_CREATED: {
            uint8_t buf[64];
            size_t len = T_SENTINEL_SIZE;
            memset(buf, T_SENTINEL, sizeof buf);
            prime(primed, sizeof primed);
            privnum_result r = privnum_format_created(k->unix_time, buf, sizeof buf, &len);
            if (k->error != PRIVNUM_RESULT_OK &&
                (len != T_SENTINEL_SIZE || !t_untouched(buf, sizeof buf))) {
                t_fail(&c, "format_created failed but wrote its output");
            }
            if (outcome(&c, "format_created", r, k->error, primed)) {
                t_text(&c, "created", buf, len, k->want_created.ptr, k->want_created.len);
                T_CHECK(&c, len == PRIVNUM_CREATED_LEN);
            }
            break;
        }
        case VEC_SIGN_OP_PARSE_CREATED: {
            int64_t unix_time = (int64_t)T_SENTINEL_BITS;
            prime(primed, sizeof primed);
            privnum_result r = privnum_parse_created(U8(k->created.ptr), k->created.len, &unix_time);
            if (k->error != PRIVNUM_RESULT_OK && unix_time != (int64_t)T_SENTINEL_BITS) {
                t_fail(&c, "parse_created failed but wrote *out");
            }
            if (outcome(&c, "parse_created", r, k->error, primed) && unix_time != k->want_unix) {
                t_fail(&c, "unix %lld, expected %lld", (long long)unix_time,
                       (long long)k->want_unix);
            }
            break;
        }
        default:
            t_fail(&c, "unknown op %d", k->op);
        }
        t_end(&c);
    }
}

/* ---- verify.json ----------------------------------------------------------- */

static void run_verify(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_verify_cases); i++) {
        const vec_verify_case *k = &vec_verify_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "%s", k->id);
        privnum_verifier *v = NULL;
        privnum_result r = privnum_verifier_new(U8(k->app_key.ptr), k->app_key.len,
                                                U8(k->app_secret.ptr), k->app_secret.len,
                                                &k->config, &v);
        if (r != PRIVNUM_RESULT_OK) {
            t_fail(&c, "verifier_new returned %s", t_name(r));
            t_end(&c);
            continue;
        }
        for (size_t s = 0; s < k->n_steps; s++) {
            const vec_verify_step *step = &vec_verify_steps[k->first_step + s];
            char what[64];
            snprintf(what, sizeof what, "step #%zu", s);
            if (step->forget) {
                T_RESULT(&c,
                         privnum_verifier_forget(v, U8(step->forget_nonce.ptr),
                                                 step->forget_nonce.len),
                         PRIVNUM_RESULT_OK);
                continue;
            }
            privnum_header headers[16];
            if (step->n_headers > sizeof headers / sizeof headers[0]) {
                t_fail(&c, "%s: too many headers for the runner", what);
                continue;
            }
            for (size_t h = 0; h < step->n_headers; h++) {
                const vec_pair *p = &vec_verify_headers[step->first_header + h];
                headers[h] = (privnum_header){ U8(p->name.ptr), p->name.len, U8(p->value.ptr),
                                               p->value.len };
            }
            privnum_verified out;
            memset(&out, T_SENTINEL, sizeof out);
            prime(primed, sizeof primed);
            r = privnum_verifier_verify(v, step->n_headers ? headers : NULL, step->n_headers,
                                        step->now, &out);
            if (step->error != PRIVNUM_RESULT_OK && !t_untouched(&out, sizeof out)) {
                t_fail(&c, "%s: verify failed but wrote *out", what);
            }
            if (!outcome(&c, what, r, step->error, primed)) {
                continue;
            }
            const char *scheme = privnum_scheme_name(out.scheme);
            if (out.scheme != step->scheme || scheme == NULL) {
                t_fail(&c, "%s: scheme %u, expected %u", what, (unsigned)out.scheme,
                       (unsigned)step->scheme);
            }
            if (out.nonce_len > PRIVNUM_NONCE_MAX_LEN) {
                t_fail(&c, "%s: nonce_len %zu", what, out.nonce_len);
            } else {
                t_text(&c, "nonce", out.nonce, out.nonce_len, step->nonce.ptr, step->nonce.len);
            }
            if (out.created != step->created) {
                t_fail(&c, "%s: created %lld, expected %lld", what, (long long)out.created,
                       (long long)step->created);
            }
            if (out.wsse_raw_digest != step->wsse_raw_digest) {
                t_fail(&c, "%s: wsse_raw_digest %d, expected %d", what, out.wsse_raw_digest,
                       step->wsse_raw_digest);
            }
        }
        privnum_verifier_free(v);
        t_end(&c);
    }
}

/* ---- params.json ----------------------------------------------------------- */

#define MAX_PARAMS 32

/* Build a privnum_param array from the pool; returns false if it does not fit. */
static bool params_from_pool(size_t first, size_t n, privnum_param *out)
{
    if (n > MAX_PARAMS) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const vec_pair *p = &vec_params_pairs[first + i];
        out[i] = (privnum_param){ U8(p->name.ptr), p->name.len, U8(p->value.ptr), p->value.len };
    }
    return true;
}

static void run_params_verify(t_case *c, const vec_params_case *k)
{
    char primed[512];
    privnum_params_verifier *v = NULL;
    privnum_result r = privnum_params_verifier_new(k->profile, U8(k->secret.ptr), k->secret.len,
                                                   &k->config, &v);
    if (r != PRIVNUM_RESULT_OK) {
        t_fail(c, "params_verifier_new returned %s", t_name(r));
        return;
    }
    for (size_t s = 0; s < k->n_steps; s++) {
        const vec_params_step *step = &vec_params_steps[k->first_step + s];
        char what[64];
        snprintf(what, sizeof what, "step #%zu", s);
        privnum_param params[MAX_PARAMS];
        if (!params_from_pool(step->first_param, step->n_params, params)) {
            t_fail(c, "%s: too many params for the runner", what);
            continue;
        }
        privnum_params_verified out;
        memset(&out, T_SENTINEL, sizeof out);
        prime(primed, sizeof primed);
        r = privnum_params_verifier_verify(v, step->n_params ? params : NULL, step->n_params,
                                           step->now, &out);
        if (step->error != PRIVNUM_RESULT_OK && !t_untouched(&out, sizeof out)) {
            t_fail(c, "%s: verify failed but wrote *out", what);
        }
        if (!outcome(c, what, r, step->error, primed)) {
            continue;
        }
        if (out.encoding != step->encoding) {
            t_fail(c, "%s: encoding %u, expected %u", what, (unsigned)out.encoding,
                   (unsigned)step->encoding);
        }
        if (out.key_ampersand != step->key_ampersand) {
            t_fail(c, "%s: key_ampersand %d, expected %d", what, out.key_ampersand,
                   step->key_ampersand);
        }
        if (out.has_timestamp != step->has_timestamp ||
            (step->has_timestamp && out.timestamp != step->timestamp)) {
            t_fail(c, "%s: timestamp %d/%lld, expected %d/%lld", what, out.has_timestamp,
                   (long long)out.timestamp, step->has_timestamp, (long long)step->timestamp);
        }
    }
    privnum_params_verifier_free(v);
}

static void run_params(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_params_cases); i++) {
        const vec_params_case *k = &vec_params_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "%s", k->id);
        switch (k->op) {
        case VEC_PARAMS_OP_ENCODE: {
            uint8_t buf[1024];
            size_t len = 0;
            T_RESULT(&c, privnum_params_encode(k->encoding, U8(k->input.ptr), k->input.len, buf,
                                               sizeof buf, &len),
                     PRIVNUM_RESULT_OK);
            t_text(&c, "output", buf, len, k->output.ptr, k->output.len);
            break;
        }
        case VEC_PARAMS_OP_SIGN: {
            privnum_param params[MAX_PARAMS];
            if (!params_from_pool(k->first_param, k->n_params, params)) {
                t_fail(&c, "too many params for the runner");
                break;
            }
            uint8_t sig[256];
            uint8_t sts[4096];
            size_t sig_n = T_SENTINEL_SIZE;
            size_t sts_n = T_SENTINEL_SIZE;
            memset(sig, T_SENTINEL, sizeof sig);
            memset(sts, T_SENTINEL, sizeof sts);
            prime(primed, sizeof primed);
            privnum_result r = privnum_params_sign(k->profile, U8(k->secret.ptr), k->secret.len,
                                                   params, k->n_params, sig, sizeof sig, &sig_n);
            if (r != PRIVNUM_RESULT_OK && (sig_n != T_SENTINEL_SIZE || !t_untouched(sig, sizeof sig))) {
                t_fail(&c, "params_sign failed but wrote its output");
            }
            if (r == PRIVNUM_RESULT_OK) {
                r = privnum_params_string_to_sign(k->profile, params, k->n_params, sts,
                                                  sizeof sts, &sts_n);
                if (r != PRIVNUM_RESULT_OK &&
                    (sts_n != T_SENTINEL_SIZE || !t_untouched(sts, sizeof sts))) {
                    t_fail(&c, "params_string_to_sign failed but wrote its output");
                }
            }
            if (outcome(&c, "sign", r, k->error, primed)) {
                t_text(&c, "string_to_sign", sts, sts_n, k->string_to_sign.ptr,
                       k->string_to_sign.len);
                t_text(&c, "signature", sig, sig_n, k->signature.ptr, k->signature.len);
            }
            break;
        }
        case VEC_PARAMS_OP_VERIFY:
            run_params_verify(&c, k);
            break;
        default:
            t_fail(&c, "unknown op %d", k->op);
        }
        t_end(&c);
    }
}

int main(void)
{
    run_numbers();
    run_fields();
    run_signing();
    run_verify();
    run_params();
    return t_summary();
}

/*
 * Runs every case of the callback vector files in tests/vectors (pushes,
 * inbox, codes, replies, sms_segments, call_control; through the generated
 * callbacks_gen.h) against the C ABI, checking what core/tests/push_vectors.rs,
 * codes_vectors.rs, replies_vectors.rs, sms_segments_vectors.rs and
 * control_vectors.rs check, and additionally that failing calls leave their
 * out-parameters untouched and set the thread's last error message.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privnum.h"
#include "testutil.h"
#include "callbacks_gen.h"

#define U8(s) ((const uint8_t *)(s))

/* ---- shared helpers -------------------------------------------------------- */

/* A distinctive last error (unknown field 0), so that a later failure can be
 * shown to set its own message. */
static void prime(char *primed, size_t cap)
{
    (void)privnum_field_check(0, NULL, 0);
    t_last_error(primed, cap);
}

/*
 * Check one fallible step's outcome: the result code, and for an expected
 * failure a fresh, non-empty message that contains `contains` (if not NULL).
 * Returns true when the step succeeded as expected (so the caller checks the
 * outputs).
 */
static bool outcome(t_case *c, const char *what, privnum_result got, privnum_result want,
                    const char *primed, const char *contains)
{
    char msg[1024];
    t_last_error(msg, sizeof msg);
    if (got != want) {
        t_fail(c, "%s returned %s (%u), expected %s (%u); last error: %s", what, t_name(got),
               (unsigned)got, t_name(want), (unsigned)want, msg);
        return false;
    }
    if (want == PRIVNUM_RESULT_OK) {
        return true;
    }
    if (msg[0] == '\0' || strcmp(msg, primed) == 0) {
        t_fail(c, "%s failed with %s but did not set its own last error message", what,
               t_name(got));
    }
    if (contains != NULL && strstr(msg, contains) == NULL) {
        t_fail(c, "%s: last error \"%s\" should mention \"%s\"", what, msg, contains);
    }
    return false;
}

static bool same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

static void check_name(t_case *c, const char *what, const char *got, const char *want)
{
    if (!same_text(got, want)) {
        t_fail(c, "%s is %s, expected %s", what, got ? got : "NULL", want ? want : "NULL");
    }
}

/* A view compared with an expected text (ptr NULL: expected absent). */
static bool view_is(privnum_str v, vec_str want)
{
    if (want.ptr == NULL) {
        return v.data == NULL && v.len == 0;
    }
    return v.data != NULL && v.len == want.len && memcmp(v.data, want.ptr, want.len) == 0;
}

static void check_view(t_case *c, const char *what, privnum_str v, vec_str want)
{
    if (!view_is(v, want)) {
        t_fail(c, "%s: got %s\"%.*s\" (%zu bytes), expected %s\"%.*s\"", what,
               v.data ? "" : "absent ", (int)v.len, v.data ? (const char *)v.data : "", v.len,
               want.ptr ? "" : "absent ", (int)want.len, want.ptr ? want.ptr : "");
    }
}

/* ---- pushes.json ----------------------------------------------------------- */

/* A value read from a push, in the shape of the vectors' values. */
typedef struct got_value {
    int type; /* VEC_V_* */
    bool b;
    int64_t i;
    privnum_str s, s2;
    uint8_t storage[64]; /* for values rendered here (E.164 forms) */
} got_value;

static void got_str(got_value *g, privnum_str v)
{
    g->type = v.data == NULL ? VEC_V_NULL : VEC_V_STR;
    g->s = v;
}

static void got_int(got_value *g, bool has, int64_t v)
{
    g->type = has ? VEC_V_INT : VEC_V_NULL;
    g->i = v;
}

static void got_bool(got_value *g, bool v)
{
    g->type = VEC_V_BOOL;
    g->b = v;
}

static void got_static(got_value *g, const char *s)
{
    if (s == NULL) {
        g->type = VEC_V_NULL;
        return;
    }
    g->type = VEC_V_STR;
    g->s = (privnum_str){ U8(s), strlen(s) };
}

static void got_e164(got_value *g, bool has, privnum_number n)
{
    size_t len = 0;
    if (!has) {
        g->type = VEC_V_NULL;
        return;
    }
    if (privnum_number_e164(n, g->storage, sizeof g->storage, &len) != PRIVNUM_RESULT_OK) {
        got_static(g, "(e164 failed)");
        return;
    }
    g->type = VEC_V_STR;
    g->s = (privnum_str){ g->storage, len };
}

/* Compare; false (with a message) on a difference. */
static void check_value(t_case *c, const char *what, const got_value *g, const vec_value *w)
{
    bool ok = g->type == w->type;
    if (ok) {
        switch (w->type) {
        case VEC_V_BOOL:
            ok = g->b == w->b;
            break;
        case VEC_V_INT:
            ok = g->i == w->i;
            break;
        case VEC_V_STR:
            ok = view_is(g->s, w->s);
            break;
        case VEC_V_RECORDING:
            ok = view_is(g->s, w->s) && view_is(g->s2, w->s2);
            break;
        default:
            break;
        }
    }
    if (!ok) {
        t_fail(c, "%s: got type %d (b=%d i=%lld s=\"%.*s\"), expected type %d (b=%d i=%lld s=\"%.*s\")",
               what, g->type, g->b, (long long)g->i, (int)g->s.len,
               g->s.data ? (const char *)g->s.data : "", w->type, w->b, (long long)w->i,
               (int)w->s.len, w->s.ptr ? w->s.ptr : "");
    }
}

#define IS(name) (strcmp(field, (name)) == 0)

static bool cdr_value(const privnum_cdr *r, const char *field, got_value *g)
{
    memset(g, 0, sizeof *g);
    if (IS("icid")) got_str(g, r->icid);
    else if (IS("session_id")) got_str(g, r->session_id);
    else if (IS("caller_num")) got_str(g, r->caller_num);
    else if (IS("fwd_dst_num")) got_str(g, r->fwd_dst_num);
    else if (IS("bind_num")) got_str(g, r->bind_num);
    else if (IS("subscription_id")) got_str(g, r->subscription_id);
    else if (IS("extend_num")) got_str(g, r->extend_num);
    else if (IS("user_data")) got_str(g, r->user_data);
    else if (IS("notify_mode")) got_str(g, r->notify_mode);
    else if (IS("direction")) got_int(g, r->has_direction, r->direction);
    else if (IS("record_flag")) got_int(g, r->has_record_flag, r->record_flag);
    else if (IS("call_in_time")) got_int(g, r->has_call_in_time, r->call_in_time);
    else if (IS("fwd_answer_time")) got_int(g, r->has_fwd_answer_time, r->fwd_answer_time);
    else if (IS("call_end_time")) got_int(g, r->has_call_end_time, r->call_end_time);
    else if (IS("record_start_time")) got_int(g, r->has_record_start_time, r->record_start_time);
    else if (IS("ul_fail_reason")) got_int(g, r->has_ul_fail_reason, r->ul_fail_reason);
    else if (IS("fwd_unasw_rsn")) got_int(g, r->has_fwd_unasw_rsn, r->fwd_unasw_rsn);
    else if (IS("answered")) got_bool(g, r->answered);
    else if (IS("talk_seconds")) got_int(g, true, r->talk_seconds);
    else if (IS("ring_seconds")) got_int(g, r->has_ring_seconds, r->ring_seconds);
    else if (IS("hung_up_by")) got_static(g, privnum_party_name(r->hung_up_by));
    else if (IS("has_failure")) got_bool(g, r->has_failure);
    else if (IS("recording")) {
        g->type = r->has_recording ? VEC_V_RECORDING : VEC_V_NULL;
        g->s = r->recording_file_name;
        g->s2 = r->recording_domain;
    }
    else if (IS("key")) got_str(g, r->key);
    else if (IS("caller_e164")) got_e164(g, r->has_caller_number, r->caller_number);
    else if (IS("destination_e164")) got_e164(g, r->has_destination_number, r->destination_number);
    else return false;
    return true;
}

static bool info_value(const privnum_call_event *e, const char *field, got_value *g)
{
    memset(g, 0, sizeof *g);
    if (IS("timestamp")) got_int(g, e->has_timestamp, e->timestamp);
    else if (IS("session_id")) got_str(g, e->session_id);
    else if (IS("caller")) got_str(g, e->caller);
    else if (IS("called")) got_str(g, e->called);
    else if (IS("subscription_id")) got_str(g, e->subscription_id);
    else if (IS("user_data")) got_str(g, e->user_data);
    else if (IS("notify_mode")) got_str(g, e->notify_mode);
    else if (IS("digit_info")) got_str(g, e->digit_info);
    else if (IS("state_code")) got_int(g, e->has_state_code, e->state_code);
    else if (IS("state_desc")) got_str(g, e->state_desc);
    else if (IS("display_caller_num")) got_str(g, e->display_caller_num);
    else if (IS("extra_party_type")) got_str(g, e->party_type);
    else if (IS("caller_e164")) got_e164(g, e->has_caller_number, e->caller_number);
    else return false;
    return true;
}

static bool sms_value(const privnum_sms_event *s, const char *field, got_value *g)
{
    memset(g, 0, sizeof *g);
    if (IS("app_key")) got_str(g, s->app_key);
    else if (IS("sms_identifier")) got_str(g, s->sms_identifier);
    else if (IS("notification_mode")) got_str(g, s->notification_mode);
    else if (IS("calling")) got_str(g, s->calling);
    else if (IS("called")) got_str(g, s->called);
    else if (IS("virtual_number")) got_str(g, s->virtual_number);
    else if (IS("time_stamp")) got_int(g, s->has_time_stamp, s->time_stamp);
    else if (IS("send_result")) got_int(g, s->has_send_result, s->send_result);
    else if (IS("sms_content")) got_str(g, s->sms_content);
    else if (IS("split_num")) got_int(g, s->has_split_num, s->split_num);
    else if (IS("direction")) got_int(g, s->has_direction, s->direction);
    else if (IS("needs_reply")) got_bool(g, s->needs_reply);
    else if (IS("key")) got_str(g, s->key);
    else return false;
    return true;
}

#undef IS

static void run_push_check(t_case *c, const privnum_push *p, const vec_push_check *k)
{
    char what[128];
    got_value g;
    bool known = true;
    switch (k->scope) {
    case VEC_SCOPE_CDR: {
        privnum_cdr r;
        snprintf(what, sizeof what, "records[%zu].%s", k->index, k->field);
        T_RESULT(c, privnum_push_cdr(p, k->index, &r), PRIVNUM_RESULT_OK);
        known = cdr_value(&r, k->field, &g);
        break;
    }
    case VEC_SCOPE_CDR_EXTRA: {
        privnum_str raw = { U8("sentinel"), 8 };
        snprintf(what, sizeof what, "records[%zu] extra %s", k->index, k->field);
        T_RESULT(c, privnum_push_cdr_field(p, k->index, U8(k->field), strlen(k->field), &raw),
                 PRIVNUM_RESULT_OK);
        memset(&g, 0, sizeof g);
        got_str(&g, raw);
        break;
    }
    case VEC_SCOPE_INFO: {
        privnum_call_event e;
        snprintf(what, sizeof what, "info.%s", k->field);
        T_RESULT(c, privnum_push_call(p, &e), PRIVNUM_RESULT_OK);
        known = info_value(&e, k->field, &g);
        break;
    }
    case VEC_SCOPE_SMS: {
        privnum_sms_event s;
        snprintf(what, sizeof what, "sms.%s", k->field);
        T_RESULT(c, privnum_push_sms(p, &s), PRIVNUM_RESULT_OK);
        known = sms_value(&s, k->field, &g);
        break;
    }
    default:
        t_fail(c, "unknown scope %d", k->scope);
        return;
    }
    if (!known) {
        t_fail(c, "unknown field %s in vectors", what);
        return;
    }
    check_value(c, what, &g, &k->want);
}

/* Facts every CDR record must satisfy, whatever the vectors list. */
static void check_cdr_consistency(t_case *c, const privnum_push *p, size_t i)
{
    privnum_cdr r;
    if (privnum_push_cdr(p, i, &r) != PRIVNUM_RESULT_OK) {
        t_fail(c, "records[%zu] unreadable", i);
        return;
    }
    uint8_t buf[512];
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(c, privnum_push_cdr_failure(p, i, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    if ((n > 0) != r.has_failure) {
        t_fail(c, "records[%zu]: failure text of %zu bytes, has_failure %d", i, n, r.has_failure);
    }
    /* A forwarded leg's answer time means answered; VoiceCall CDRs answer on
       the call-out leg (callOutAnswerTime), so the converse need not hold. */
    T_CHECK(c, !r.has_fwd_answer_time || r.answered);
    T_CHECK(c, r.has_recording == (r.recording_file_name.data != NULL));
    T_CHECK(c, r.has_caller_number || r.caller_number.bits == 0);
}

static void check_push(t_case *c, const privnum_push *p, const vec_push_case *k)
{
    uint32_t kind = privnum_push_kind(p);
    if (kind != k->kind) {
        t_fail(c, "kind %u (%s), expected %u (%s)", (unsigned)kind,
               privnum_push_kind_name(kind) ? privnum_push_kind_name(kind) : "NULL",
               (unsigned)k->kind, privnum_push_kind_name(k->kind));
        return;
    }
    switch (kind) {
    case PRIVNUM_PUSH_KIND_CDRS: {
        size_t count = privnum_push_cdr_count(p);
        if (k->has_count && count != k->count) {
            t_fail(c, "count %zu, expected %zu", count, k->count);
        }
        if (k->n_records > count) {
            t_fail(c, "%zu records, %zu listed", count, k->n_records);
        }
        for (size_t i = 0; i < count; i++) {
            check_cdr_consistency(c, p, i);
        }
        T_CHECK(c, privnum_push_number_status_count(p) == 0);
        break;
    }
    case PRIVNUM_PUSH_KIND_CALL: {
        privnum_call_event e;
        if (privnum_push_call(p, &e) != PRIVNUM_RESULT_OK) {
            t_fail(c, "push_call failed");
            return;
        }
        check_view(c, "event", e.event_name, k->event);
        if (k->has_needs_reply && e.needs_reply != k->needs_reply) {
            t_fail(c, "needs_reply %d, expected %d", e.needs_reply, k->needs_reply);
        }
        T_CHECK(c, privnum_push_needs_reply(p) == e.needs_reply);
        T_CHECK(c, (e.event == PRIVNUM_CALL_EVENT_CALL_IN) ==
                       (e.event_name.len == 6 && memcmp(e.event_name.data, "callin", 6) == 0));
        T_CHECK(c, e.event >= PRIVNUM_CALL_EVENT_CALL_IN && e.event <= PRIVNUM_CALL_EVENT_OTHER);
        T_CHECK(c, privnum_push_cdr_count(p) == 0);
        break;
    }
    case PRIVNUM_PUSH_KIND_SMS: {
        privnum_sms_event s;
        if (privnum_push_sms(p, &s) != PRIVNUM_RESULT_OK) {
            t_fail(c, "push_sms failed");
            return;
        }
        T_CHECK(c, privnum_push_needs_reply(p) == s.needs_reply);
        for (size_t i = 0; i < s.ext_para_count; i++) {
            privnum_str key, value;
            T_RESULT(c, privnum_push_sms_ext_para(p, i, &key, &value), PRIVNUM_RESULT_OK);
        }
        break;
    }
    case PRIVNUM_PUSH_KIND_NUMBER_STATUS: {
        size_t count = privnum_push_number_status_count(p);
        if (count != k->n_entries) {
            t_fail(c, "%zu entries, expected %zu", count, k->n_entries);
            break;
        }
        for (size_t i = 0; i < count; i++) {
            const vec_push_entry *w = &vec_push_entries[k->first_entry + i];
            privnum_number_status_entry e;
            char what[64];
            snprintf(what, sizeof what, "entries[%zu].number", i);
            T_RESULT(c, privnum_push_number_status(p, i, &e), PRIVNUM_RESULT_OK);
            check_view(c, what, e.number, w->number);
            if (e.status != w->status || e.has_cause != w->has_cause ||
                (w->has_cause && e.cause != w->cause)) {
                t_fail(c, "entries[%zu]: status %u cause %d/%u, expected %u %d/%u", i,
                       (unsigned)e.status, e.has_cause, (unsigned)e.cause, (unsigned)w->status,
                       w->has_cause, (unsigned)w->cause);
            }
            T_CHECK(c, e.binding_usable == privnum_number_status_binding_usable(e.status));
            T_CHECK(c, e.new_bindings_allowed == privnum_number_status_new_bindings_allowed(e.status));
        }
        break;
    }
    default:
        t_fail(c, "unexpected push kind %u", (unsigned)kind);
        return;
    }
    for (size_t i = 0; i < k->n_checks; i++) {
        run_push_check(c, p, &vec_push_checks[k->first_check + i]);
    }
}

static void run_pushes(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_push_cases); i++) {
        const vec_push_case *k = &vec_push_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "pushes.json %s", k->id);
        privnum_push *p = (privnum_push *)&p; /* sentinel: not NULL, not a handle */
        privnum_push *const sentinel = p;
        prime(primed, sizeof primed);
        privnum_result r = privnum_push_parse(U8(k->body.ptr), k->body.len, &p);
        if (r != PRIVNUM_RESULT_OK && p != sentinel) {
            t_fail(&c, "push_parse failed but wrote *out");
        }
        if (outcome(&c, "push_parse", r, k->error, primed, k->message_contains)) {
            /* The views are read through a second handle after the first is
             * released: the push lives as long as any handle to it. */
            privnum_push *q = NULL;
            T_RESULT(&c, privnum_push_clone(p, &q), PRIVNUM_RESULT_OK);
            privnum_push_free(p);
            check_push(&c, q, k);
            privnum_push_free(q);
        }
        t_end(&c);
    }
}

/* ---- inbox.json ------------------------------------------------------------ */

#define MAX_HEADERS 16

static void run_inbox_step(t_case *c, const privnum_inbox *inbox, size_t s,
                           const vec_inbox_step *step)
{
    char what[64];
    char primed[512];
    snprintf(what, sizeof what, "step #%zu", s);
    privnum_header headers[MAX_HEADERS];
    if (step->n_headers > MAX_HEADERS) {
        t_fail(c, "%s: too many headers for the runner", what);
        return;
    }
    for (size_t h = 0; h < step->n_headers; h++) {
        const vec_pair *pair = &vec_inbox_headers[step->first_header + h];
        headers[h] = (privnum_header){ U8(pair->name.ptr), pair->name.len, U8(pair->value.ptr),
                                       pair->value.len };
    }
    privnum_received *rec = (privnum_received *)&rec; /* sentinel */
    privnum_received *const sentinel = rec;
    prime(primed, sizeof primed);
    privnum_result r = privnum_inbox_receive(inbox, U8(step->body.ptr), step->body.len,
                                             step->n_headers ? headers : NULL, step->n_headers,
                                             step->now, &rec);
    if (r != PRIVNUM_RESULT_OK && rec != sentinel) {
        t_fail(c, "%s: receive failed but wrote *out", what);
    }
    if (!outcome(c, what, r, step->error, primed, step->message_contains)) {
        return;
    }
    size_t n = privnum_received_item_count(rec);
    if (n != step->n_dups) {
        t_fail(c, "%s: %zu items, expected %zu", what, n, step->n_dups);
    } else {
        for (size_t i = 0; i < n; i++) {
            privnum_item item;
            T_RESULT(c, privnum_received_item(rec, i, &item), PRIVNUM_RESULT_OK);
            if (item.duplicate != vec_inbox_dups[step->first_dup + i]) {
                t_fail(c, "%s: item %zu duplicate %d, expected %d", what, i, item.duplicate,
                       vec_inbox_dups[step->first_dup + i]);
            }
            /* Without a key an item can never be a duplicate. */
            T_CHECK(c, item.key.data != NULL || !item.duplicate);
        }
    }
    if (privnum_received_is_duplicate(rec) != step->is_duplicate) {
        t_fail(c, "%s: is_duplicate %d, expected %d", what, privnum_received_is_duplicate(rec),
               step->is_duplicate);
    }
    if (privnum_received_is_verified(rec) != step->verified) {
        t_fail(c, "%s: verified %d, expected %d", what, privnum_received_is_verified(rec),
               step->verified);
    }
    privnum_verified v;
    T_RESULT(c, privnum_received_verified(rec, &v),
             step->verified ? PRIVNUM_RESULT_OK : PRIVNUM_RESULT_INVALID_ARGUMENT);
    const privnum_push *p = privnum_received_push(rec);
    T_CHECK(c, p != NULL && privnum_push_kind(p) != 0);
    if (p != NULL && privnum_push_kind(p) == PRIVNUM_PUSH_KIND_CDRS) {
        T_CHECK(c, privnum_push_cdr_count(p) == n);
    }
    if (step->commit) {
        T_RESULT(c, privnum_inbox_commit(inbox, rec, step->now), PRIVNUM_RESULT_OK);
    }
    privnum_received_free(rec);
}

static void run_inbox(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_inbox_cases); i++) {
        const vec_inbox_case *k = &vec_inbox_cases[i];
        t_case c;
        t_begin(&c, "inbox.json %s", k->id);
        privnum_inbox_config cfg;
        T_RESULT(&c, privnum_inbox_config_default(&cfg), PRIVNUM_RESULT_OK);
        if (k->has_max_body_bytes) {
            cfg.max_body_bytes = k->max_body_bytes;
        }
        if (k->has_dedup_window_secs) {
            cfg.dedup_window_secs = k->dedup_window_secs;
        }
        if (k->has_dedup_capacity) {
            cfg.dedup_capacity = k->dedup_capacity;
        }
        cfg.verifier.max_age_secs = k->max_age_secs;
        privnum_inbox *inbox = NULL;
        privnum_result r = privnum_inbox_new(&cfg, U8(k->app_key.ptr), k->app_key.len,
                                             U8(k->app_secret.ptr), k->app_secret.len, &inbox);
        if (r != PRIVNUM_RESULT_OK) {
            t_fail(&c, "inbox_new returned %s", t_name(r));
            t_end(&c);
            continue;
        }
        for (size_t s = 0; s < k->n_steps; s++) {
            run_inbox_step(&c, inbox, s, &vec_inbox_steps[k->first_step + s]);
        }
        privnum_inbox_free(inbox);
        t_end(&c);
    }
}

/* ---- codes.json ------------------------------------------------------------ */

#define MAX_SEEN 32

typedef struct seen {
    bool tables[8];
    bool categories[MAX_SEEN];
    bool actions[MAX_SEEN];
    bool parties[MAX_SEEN];
} seen;

static void mark(bool *set, uint32_t v)
{
    if (v < MAX_SEEN) {
        set[v] = true;
    }
}

static void run_wire_code(t_case *c, const vec_code_case *k, bool status)
{
    char primed[512];
    uint32_t code = (uint32_t)T_SENTINEL_BITS;
    prime(primed, sizeof primed);
    privnum_result r = status ? privnum_number_status_parse(U8(k->wire.ptr), k->wire.len, &code)
                              : privnum_unavailable_cause_parse(U8(k->wire.ptr), k->wire.len, &code);
    privnum_result want = k->name == NULL ? PRIVNUM_RESULT_INVALID_ARGUMENT : PRIVNUM_RESULT_OK;
    if (r != PRIVNUM_RESULT_OK && code != (uint32_t)T_SENTINEL_BITS) {
        t_fail(c, "parse failed but wrote *out");
    }
    if (!outcome(c, "parse", r, want, primed, NULL)) {
        return;
    }
    const char *name = status ? privnum_number_status_name(code) : privnum_unavailable_cause_name(code);
    const char *desc =
        status ? privnum_number_status_description(code) : privnum_unavailable_cause_description(code);
    check_name(c, "name", name, k->name);
    if ((desc != NULL) != k->known) {
        t_fail(c, "known %d, expected %d", desc != NULL, k->known);
    }
    if (status) {
        T_CHECK(c, privnum_number_status_binding_usable(code) == k->binding_usable);
        T_CHECK(c, privnum_number_status_new_bindings_allowed(code) == k->new_bindings_allowed);
    }
    /* The code reads back as the wire text. */
    char text[16];
    snprintf(text, sizeof text, "%u", (unsigned)code);
    t_text(c, "code", U8(text), strlen(text), k->wire.ptr, k->wire.len);
}

static void run_code(t_case *c, const vec_code_case *k, seen *s)
{
    mark(s->tables, (uint32_t)k->table);
    switch (k->table) {
    case VEC_TABLE_FAIL_REASON: {
        const char *desc = privnum_fail_reason_description(k->code);
        uint32_t cat = privnum_fail_reason_category(k->code);
        uint32_t party = privnum_fail_reason_hung_up_by(k->code);
        T_CHECK(c, (desc != NULL) == k->known);
        if (cat != k->category_code) {
            t_fail(c, "category %u, expected %u", (unsigned)cat, (unsigned)k->category_code);
        }
        check_name(c, "category name", privnum_fail_category_name(cat), k->category);
        if (party != k->party) {
            t_fail(c, "hung_up_by %u, expected %u", (unsigned)party, (unsigned)k->party);
        }
        check_name(c, "hung_up_by name", privnum_party_name(party), k->hung_up_by);
        T_CHECK(c, privnum_fail_reason_is_normal(k->code) == k->normal);
        mark(s->categories, cat);
        mark(s->parties, party);
        break;
    }
    case VEC_TABLE_Q850:
        T_CHECK(c, (privnum_q850_description(k->code) != NULL) == k->known);
        T_CHECK(c, privnum_q850_is_normal(k->code) == k->normal);
        break;
    case VEC_TABLE_RESULT_CODE: {
        const uint8_t *w = U8(k->wire.ptr);
        uint32_t action = privnum_result_code_action(w, k->wire.len, k->http_status);
        if (action != k->action_code) {
            t_fail(c, "action %u, expected %u", (unsigned)action, (unsigned)k->action_code);
        }
        check_name(c, "action name", privnum_action_name(action), k->action);
        T_CHECK(c, (privnum_result_code_description(w, k->wire.len, -1) != NULL) == k->known);
        T_CHECK(c, (privnum_result_code_description(w, k->wire.len, k->http_status) != NULL) ==
                       k->known);
        T_CHECK(c, (action == PRIVNUM_ACTION_SUCCESS) == k->success);
        T_CHECK(c, privnum_result_code_retryable(w, k->wire.len, k->http_status) == k->retryable);
        if (k->has_max_retries) {
            uint32_t m = privnum_result_code_max_retries(w, k->wire.len, k->http_status);
            if (m != k->max_retries) {
                t_fail(c, "max_retries %u, expected %u", (unsigned)m, (unsigned)k->max_retries);
            }
        }
        mark(s->actions, action);
        break;
    }
    case VEC_TABLE_NUMBER_STATUS:
        run_wire_code(c, k, true);
        break;
    case VEC_TABLE_UNAVAILABLE_CAUSE:
        run_wire_code(c, k, false);
        break;
    case VEC_TABLE_SEND_RESULT:
        T_CHECK(c, (privnum_send_result_description(k->code) != NULL) == k->known);
        T_CHECK(c, privnum_send_result_is_success(k->code) == k->success);
        break;
    default:
        t_fail(c, "unknown table %d", k->table);
    }
}

static void run_codes(void)
{
    seen s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < VEC_COUNT(vec_code_cases); i++) {
        const vec_code_case *k = &vec_code_cases[i];
        t_case c;
        t_begin(&c, "codes.json %s", k->id);
        run_code(&c, k, &s);
        t_end(&c);
    }
    /* Every table, category, action and party has a vector. */
    t_case c;
    t_begin(&c, "codes.json: coverage");
    T_CHECK(&c, VEC_COUNT(vec_code_cases) >= 40);
    for (int t = VEC_TABLE_FAIL_REASON; t <= VEC_TABLE_SEND_RESULT; t++) {
        if (!s.tables[t]) {
            t_fail(&c, "no vector for table %d", t);
        }
    }
    for (uint32_t v = 1; v < MAX_SEEN; v++) {
        if (privnum_fail_category_name(v) != NULL && !s.categories[v]) {
            t_fail(&c, "no vector for category %s", privnum_fail_category_name(v));
        }
        if (privnum_action_name(v) != NULL && !s.actions[v]) {
            t_fail(&c, "no vector for action %s", privnum_action_name(v));
        }
        if (privnum_party_name(v) != NULL && !s.parties[v]) {
            t_fail(&c, "no vector for party %s", privnum_party_name(v));
        }
    }
    t_end(&c);
}

/* ---- replies.json ---------------------------------------------------------- */

#define MAX_EXTRAS 16

static privnum_str in(vec_str s)
{
    return (privnum_str){ U8(s.ptr), s.len };
}

static bool number_in(t_case *c, const char *what, vec_str s, privnum_number *out)
{
    if (s.ptr == NULL) {
        t_fail(c, "the case has no %s", what);
        return false;
    }
    privnum_result r = privnum_number_parse_default(U8(s.ptr), s.len, out);
    if (r != PRIVNUM_RESULT_OK) {
        t_fail(c, "%s \"%s\" does not parse: %s", what, s.ptr, t_name(r));
        return false;
    }
    return true;
}

/* Build the reply of case k into (buf, len, out_n). Returns false if the
 * case's inputs cannot be prepared (the failure is recorded). */
static bool build_reply(t_case *c, const vec_reply_case *k, uint8_t *buf, size_t len,
                        size_t *out_n, privnum_result *result)
{
    switch (k->kind) {
    case VEC_REPLY_CONNECT: {
        privnum_connect_options o;
        memset(&o, 0, sizeof o);
        if (!number_in(c, "callee", k->callee, &o.callee)) {
            return false;
        }
        if (k->display.ptr != NULL) {
            o.has_display = true;
            if (!number_in(c, "display", k->display, &o.display)) {
                return false;
            }
        }
        o.has_max_duration = k->has_max_duration;
        o.max_duration_minutes = k->max_duration;
        o.wait_voice = in(k->wait_voice);
        o.record = k->has_record && k->record;
        o.record_hint_tone = in(k->record_hint_tone);
        o.last_min_voice = in(k->last_min_voice);
        o.user_data = in(k->user_data);
        o.form = k->form;
        *result = privnum_reply_connect(&o, buf, len, out_n);
        return true;
    }
    case VEC_REPLY_CLOSE: {
        privnum_close_options o;
        memset(&o, 0, sizeof o);
        o.close_hint_tone = in(k->close_hint_tone);
        o.user_data = in(k->user_data);
        o.form = k->form;
        *result = privnum_reply_close(&o, buf, len, out_n);
        return true;
    }
    case VEC_REPLY_SMS_ROUTE: {
        privnum_number calling, called;
        if (!number_in(c, "calling", k->calling, &calling) ||
            !number_in(c, "called", k->called, &called)) {
            return false;
        }
        *result = privnum_reply_sms_route(calling, called, U8(k->user_data.ptr), k->user_data.len,
                                          buf, len, out_n);
        return true;
    }
    case VEC_REPLY_SMS_DISCARD:
        *result = privnum_reply_sms_discard(U8(k->user_data.ptr), k->user_data.len, buf, len, out_n);
        return true;
    case VEC_REPLY_CALL_CONTROL: {
        privnum_param extras[MAX_EXTRAS];
        if (k->n_extra > MAX_EXTRAS) {
            t_fail(c, "too many extras for the runner");
            return false;
        }
        for (size_t i = 0; i < k->n_extra; i++) {
            const vec_pair *p = &vec_reply_extras[k->first_extra + i];
            extras[i] = (privnum_param){ U8(p->name.ptr), p->name.len, U8(p->value.ptr),
                                         p->value.len };
        }
        privnum_call_control_options o;
        memset(&o, 0, sizeof o);
        o.operate = k->operate;
        o.message = in(k->message);
        o.control_msg = in(k->control_msg);
        o.subs_id = in(k->subs_id);
        o.call_no_play_code = in(k->call_no_play_code);
        o.extra = k->n_extra ? extras : NULL;
        o.n_extra = k->n_extra;
        *result = privnum_reply_call_control(&o, buf, len, out_n);
        return true;
    }
    default:
        t_fail(c, "unknown kind %d", k->kind);
        return false;
    }
}

static void run_replies(void)
{
    bool kinds[8] = { false };
    bool invalid_seen = false;
    bool bounds_seen = false;
    for (size_t i = 0; i < VEC_COUNT(vec_reply_cases); i++) {
        const vec_reply_case *k = &vec_reply_cases[i];
        t_case c;
        char primed[512];
        t_begin(&c, "replies.json %s", k->id);
        kinds[k->kind] = true;
        /* The size query first (a failure is reported before the size). */
        size_t need = T_SENTINEL_SIZE;
        privnum_result r = PRIVNUM_RESULT_OK;
        if (!build_reply(&c, k, NULL, 0, &need, &r)) {
            t_end(&c);
            continue;
        }
        privnum_result want_query =
            k->error == PRIVNUM_RESULT_OK ? PRIVNUM_RESULT_INSUFFICIENT_SIZE : k->error;
        T_RESULT(&c, r, want_query);
        uint8_t buf[4096];
        size_t n = T_SENTINEL_SIZE;
        memset(buf, T_SENTINEL, sizeof buf);
        prime(primed, sizeof primed);
        (void)build_reply(&c, k, buf, sizeof buf, &n, &r);
        if (k->error != PRIVNUM_RESULT_OK && (n != T_SENTINEL_SIZE || !t_untouched(buf, sizeof buf))) {
            t_fail(&c, "the reply failed but wrote its output");
        }
        if (outcome(&c, "reply", r, k->error, primed, NULL)) {
            t_text(&c, "json", buf, n, k->json.ptr, k->json.len);
            if (need != n) {
                t_fail(&c, "size query said %zu, the body has %zu bytes", need, n);
            }
        }
        invalid_seen = invalid_seen || k->error == PRIVNUM_RESULT_REPLY_INVALID;
        bounds_seen = bounds_seen || k->error == PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS;
        t_end(&c);
    }
    t_case c;
    t_begin(&c, "replies.json: coverage");
    T_CHECK(&c, VEC_COUNT(vec_reply_cases) >= 25);
    for (int kind = VEC_REPLY_CONNECT; kind <= VEC_REPLY_CALL_CONTROL; kind++) {
        if (!kinds[kind]) {
            t_fail(&c, "no case of kind %d", kind);
        }
    }
    T_CHECK(&c, invalid_seen && bounds_seen);
    t_end(&c);
}

/* ---- sms_segments.json ----------------------------------------------------- */

/* The case's text, in a buffer the caller frees; NULL if out of memory. */
static char *segment_text(const vec_segment_case *k, size_t *len, size_t extra)
{
    size_t n = 0;
    if (k->text.ptr != NULL) {
        n = k->text.len;
    } else {
        for (size_t i = 0; i < k->n_parts; i++) {
            const vec_segment_part *p = &vec_segment_parts[k->first_part + i];
            n += p->unit.len * p->count;
        }
    }
    char *out = malloc(n + extra + 1);
    if (out == NULL) {
        return NULL;
    }
    if (k->text.ptr != NULL) {
        memcpy(out, k->text.ptr, n);
    } else {
        size_t at = 0;
        for (size_t i = 0; i < k->n_parts; i++) {
            const vec_segment_part *p = &vec_segment_parts[k->first_part + i];
            for (size_t j = 0; j < p->count; j++) {
                memcpy(out + at, p->unit.ptr, p->unit.len);
                at += p->unit.len;
            }
        }
    }
    *len = n;
    return out;
}

static bool same_segments(const privnum_segment_count *a, const privnum_segment_count *b)
{
    return a->encoding == b->encoding && a->segments == b->segments && a->units == b->units &&
           a->per_segment == b->per_segment && a->remaining == b->remaining;
}

static void run_segments(void)
{
    int ax_cases = 0;
    for (size_t i = 0; i < VEC_COUNT(vec_segment_cases); i++) {
        const vec_segment_case *k = &vec_segment_cases[i];
        t_case c;
        t_begin(&c, "sms_segments.json %s", k->id);
        size_t len = 0;
        char *text = segment_text(k, &len, 64);
        if (text == NULL) {
            t_fail(&c, "out of memory");
            t_end(&c);
            continue;
        }
        privnum_segment_count got;
        memset(&got, T_SENTINEL, sizeof got);
        if (k->ax_b.ptr == NULL) {
            T_RESULT(&c, privnum_sms_segments(U8(text), len, NULL, &got), PRIVNUM_RESULT_OK);
        } else {
            ax_cases++;
            privnum_number b;
            if (number_in(&c, "ax_b_number", k->ax_b, &b)) {
                T_RESULT(&c, privnum_sms_segments(U8(text), len, &b, &got), PRIVNUM_RESULT_OK);
                /* The AX count is the count of the text with the suffix. */
                size_t e164_n = 0;
                text[len] = '@';
                T_RESULT(&c, privnum_number_e164(b, (uint8_t *)text + len + 1, 63, &e164_n),
                         PRIVNUM_RESULT_OK);
                privnum_segment_count full;
                T_RESULT(&c, privnum_sms_segments(U8(text), len + 1 + e164_n, NULL, &full),
                         PRIVNUM_RESULT_OK);
                T_CHECK(&c, same_segments(&got, &full));
            }
        }
        privnum_segment_count want = { k->encoding, k->segments, k->units, k->per_segment,
                                      k->remaining };
        if (!same_segments(&got, &want)) {
            t_fail(&c, "got %u/%u/%u/%u/%u, expected %u/%u/%u/%u/%u (encoding, segments, units, "
                       "per_segment, remaining)",
                   (unsigned)got.encoding, (unsigned)got.segments, (unsigned)got.units,
                   (unsigned)got.per_segment, (unsigned)got.remaining, (unsigned)want.encoding,
                   (unsigned)want.segments, (unsigned)want.units, (unsigned)want.per_segment,
                   (unsigned)want.remaining);
        }
        check_name(&c, "encoding name", privnum_sms_encoding_name(got.encoding), k->encoding_name);
        free(text);
        t_end(&c);
    }
    t_case c;
    t_begin(&c, "sms_segments.json: coverage");
    T_CHECK(&c, VEC_COUNT(vec_segment_cases) >= 25);
    T_CHECK(&c, ax_cases > 0);
    t_end(&c);
}

/* ---- call_control.json ----------------------------------------------------- */

#define MAX_PARAMS 32

static void check_e164(t_case *c, const char *what, bool has, privnum_number n, vec_str want)
{
    got_value g;
    memset(&g, 0, sizeof g);
    got_e164(&g, has, n);
    const vec_value w = { want.ptr != NULL ? VEC_V_STR : VEC_V_NULL, false, 0, want, { NULL, 0 } };
    check_value(c, what, &g, &w);
    if (!has && n.bits != 0) {
        t_fail(c, "%s: absent but bits %llu, expected 0", what, (unsigned long long)n.bits);
    }
}

/* What core/tests/control_vectors.rs checks of a query, read through `cc`. */
static void check_query(t_case *c, const char *what, const privnum_call_control *cc,
                        const vec_control_step *k)
{
    char name[128];
    privnum_call_control_query q;
    memset(&q, T_SENTINEL, sizeof q);
    privnum_result r = privnum_call_control_get(cc, &q);
    if (r != PRIVNUM_RESULT_OK) {
        t_fail(c, "%s: call_control_get returned %s", what, t_name(r));
        return;
    }
#define VIEW(field)                                                                             \
    do {                                                                                        \
        snprintf(name, sizeof name, "%s: " #field, what);                                       \
        check_view(c, name, q.field, k->field);                                                 \
    } while (0)
    VIEW(call_no);
    VIEW(secret_no);
    VIEW(record_type);
    VIEW(call_time);
    VIEW(call_id);
    VIEW(extension);
#undef VIEW
    if (q.record_type_kind != k->record_type_kind) {
        t_fail(c, "%s: record_type_kind %u, expected %u", what, (unsigned)q.record_type_kind,
               (unsigned)k->record_type_kind);
    }
    if (q.has_call_time_utc8 != k->has_call_time_utc8 ||
        q.call_time_utc8 != k->call_time_utc8) {
        t_fail(c, "%s: call_time_utc8 %d/%lld, expected %d/%lld", what, q.has_call_time_utc8,
               (long long)q.call_time_utc8, k->has_call_time_utc8,
               (long long)k->call_time_utc8);
    }
    snprintf(name, sizeof name, "%s: caller_e164", what);
    check_e164(c, name, q.has_caller, q.caller, k->caller_e164);
    snprintf(name, sizeof name, "%s: x_e164", what);
    check_e164(c, name, q.has_x, q.x, k->x_e164);
}

static void run_control_step(t_case *c, const privnum_params_verifier *verifier, size_t s,
                             const vec_control_step *k)
{
    char what[64];
    char primed[512];
    snprintf(what, sizeof what, "step #%zu", s);
    privnum_param params[MAX_PARAMS];
    if (k->n_params > MAX_PARAMS) {
        t_fail(c, "%s: too many params for the runner", what);
        return;
    }
    for (size_t i = 0; i < k->n_params; i++) {
        const vec_pair *pair = &vec_control_params[k->first_param + i];
        params[i] = (privnum_param){ U8(pair->name.ptr), pair->name.len, U8(pair->value.ptr),
                                     pair->value.len };
    }
    const privnum_param *ps = k->n_params ? params : NULL;
    privnum_call_control *cc = (privnum_call_control *)&cc; /* sentinel */
    privnum_call_control *const sentinel = cc;
    prime(primed, sizeof primed);
    privnum_result r = privnum_call_control_receive(verifier, ps, k->n_params, k->now, &cc);
    if (r != PRIVNUM_RESULT_OK && cc != sentinel) {
        t_fail(c, "%s: receive failed but wrote *out", what);
    }
    if (!outcome(c, what, r, k->error, primed, NULL)) {
        if (k->error == PRIVNUM_RESULT_PUSH_MISSING_FIELD) {
            /* Not a signature problem: parsing alone refuses it too. */
            privnum_call_control *p = sentinel;
            T_RESULT(c, privnum_call_control_parse(ps, k->n_params, &p),
                     PRIVNUM_RESULT_PUSH_MISSING_FIELD);
            T_CHECK(c, p == sentinel);
        }
        return;
    }
    /* The views are read through a second handle after the first is
     * released: the query lives as long as any handle to it. */
    privnum_call_control *q = NULL;
    T_RESULT(c, privnum_call_control_clone(cc, &q), PRIVNUM_RESULT_OK);
    privnum_call_control_free(cc);
    if (q == NULL) {
        return;
    }
    check_query(c, what, q, k);
    T_CHECK(c, privnum_call_control_is_verified(q));
    privnum_params_verified v;
    memset(&v, T_SENTINEL, sizeof v);
    T_RESULT(c, privnum_call_control_verified(q, &v), PRIVNUM_RESULT_OK);
    T_CHECK(c, v.encoding == PRIVNUM_PARAMS_ENCODING_FORM ||
                   v.encoding == PRIVNUM_PARAMS_ENCODING_RFC3986);
    T_CHECK(c, v.has_timestamp || v.timestamp == 0);
    privnum_call_control_free(q);

    /* The same parameters, unverified, read as the same query. */
    privnum_call_control *p = NULL;
    T_RESULT(c, privnum_call_control_parse(ps, k->n_params, &p), PRIVNUM_RESULT_OK);
    if (p != NULL) {
        char parsed[96];
        snprintf(parsed, sizeof parsed, "%s (parse)", what);
        check_query(c, parsed, p, k);
        T_CHECK(c, !privnum_call_control_is_verified(p));
        memset(&v, T_SENTINEL, sizeof v);
        T_RESULT(c, privnum_call_control_verified(p, &v), PRIVNUM_RESULT_INVALID_ARGUMENT);
        T_CHECK(c, t_untouched(&v, sizeof v));
        privnum_call_control_free(p);
    }
}

static void run_call_control(void)
{
    size_t ok_steps = 0, error_steps = 0;
    for (size_t i = 0; i < VEC_COUNT(vec_control_cases); i++) {
        const vec_control_case *k = &vec_control_cases[i];
        t_case c;
        t_begin(&c, "call_control.json %s", k->id);
        privnum_params_verifier *v = NULL;
        privnum_result r =
            privnum_params_verifier_new(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, U8(k->secret.ptr),
                                        k->secret.len, &vec_control_config, &v);
        if (r != PRIVNUM_RESULT_OK) {
            t_fail(&c, "params_verifier_new returned %s", t_name(r));
            t_end(&c);
            continue;
        }
        for (size_t s = 0; s < k->n_steps; s++) {
            const vec_control_step *step = &vec_control_steps[k->first_step + s];
            run_control_step(&c, v, s, step);
            if (step->error == PRIVNUM_RESULT_OK) {
                ok_steps++;
            } else {
                error_steps++;
            }
        }
        privnum_params_verifier_free(v);
        t_end(&c);
    }
    t_case c;
    t_begin(&c, "call_control.json: coverage");
    T_CHECK(&c, VEC_COUNT(vec_control_cases) >= 10);
    T_CHECK(&c, ok_steps >= 4 && error_steps >= 4);
    t_end(&c);
}

/* ---- ax_suffix.json ---------------------------------------------------------- */

static void run_ax_suffix(void)
{
    size_t seen[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < VEC_COUNT(vec_ax_suffix_cases); i++) {
        const vec_ax_suffix_case *k = &vec_ax_suffix_cases[i];
        t_case c;
        t_begin(&c, "ax_suffix.json %s", k->id);
        privnum_ax_suffix got;
        T_RESULT(&c, privnum_sms_ax_suffix(U8(k->text.ptr), k->text.len, &got), PRIVNUM_RESULT_OK);
        T_CHECK(&c, got.result == k->result);
        if (k->result < 4) {
            seen[k->result]++;
        }
        check_view(&c, "text", got.text, k->before);
        check_view(&c, "suffix", got.suffix, k->suffix);
        if (k->receiver_e164.ptr != NULL) {
            char e164[32];
            size_t n = 0;
            T_RESULT(&c, privnum_number_e164(got.receiver, (uint8_t *)e164, sizeof e164, &n),
                     PRIVNUM_RESULT_OK);
            t_text(&c, "receiver", (const uint8_t *)e164, n, k->receiver_e164.ptr,
                   k->receiver_e164.len);
            /* The view points into the caller's text. */
            T_CHECK(&c, got.text.len == 0 || (got.text.data >= U8(k->text.ptr) &&
                                              got.text.data < U8(k->text.ptr) + k->text.len));
        } else {
            T_CHECK(&c, got.receiver.bits == 0);
        }
        t_end(&c);
    }
    t_case c;
    t_begin(&c, "ax_suffix.json: coverage and NULLs");
    T_CHECK(&c, seen[PRIVNUM_AX_SUFFIX_VALID] >= 3 && seen[PRIVNUM_AX_SUFFIX_MISSING] >= 1 &&
                    seen[PRIVNUM_AX_SUFFIX_GARBLED] >= 3);
    privnum_ax_suffix out;
    memset(&out, T_SENTINEL, sizeof out);
    T_RESULT(&c, privnum_sms_ax_suffix(U8("x"), 1, NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_sms_ax_suffix(NULL, 3, &out), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_sms_ax_suffix(U8("\xff@1"), 3, &out), PRIVNUM_RESULT_INVALID_UTF8);
    T_CHECK(&c, t_untouched(&out, sizeof out));
    T_RESULT(&c, privnum_sms_ax_suffix(NULL, 0, &out), PRIVNUM_RESULT_OK);
    T_CHECK(&c, out.result == PRIVNUM_AX_SUFFIX_MISSING);
    t_end(&c);
}

int main(void)
{
    run_pushes();
    run_inbox();
    run_codes();
    run_replies();
    run_segments();
    run_call_control();
    run_ax_suffix();
    return t_summary();
}

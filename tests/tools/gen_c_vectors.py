#!/usr/bin/env python3
"""Turn tests/vectors/*.json into the C tests' generated headers.

tests/c/vectors_gen.h holds numbers, fields, signing, verify and params
(run by tests/c/test_vectors.c); tests/c/callbacks_gen.h holds pushes, inbox,
codes, replies, sms_segments, call_control and ax_suffix (run by tests/c/test_callbacks.c);
tests/c/engine_gen.h holds engine (run by tests/c/test_engine.c);
tests/c/client_gen.h holds every client*.json (run by tests/c/test_client.c).

C cannot read JSON, so every case becomes an element of a static array of
structs; error names become PRIVNUM_RESULT_<NAME> constants. The output is
deterministic (file order, no timestamps), and committed.

    python3 tests/tools/gen_c_vectors.py          # (re)write the three headers
    python3 tests/tools/gen_c_vectors.py --check  # exit 1 if a committed file differs

Unknown keys, ops, schemes, profiles and error names are fatal, so that a new
kind of vector cannot be silently skipped by the C runner.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
OUTPUT = ROOT / "tests" / "c" / "vectors_gen.h"
CALLBACKS_OUTPUT = ROOT / "tests" / "c" / "callbacks_gen.h"
ENGINE_OUTPUT = ROOT / "tests" / "c" / "engine_gen.h"
CLIENT_OUTPUT = ROOT / "tests" / "c" / "client_gen.h"
HEADER = ROOT / "include" / "privnum.h"

SCHEMES = {"aksk": "PRIVNUM_SCHEME_AKSK", "wsse": "PRIVNUM_SCHEME_WSSE"}
ENCODINGS = {"rfc3986": "PRIVNUM_PARAMS_ENCODING_RFC3986", "form": "PRIVNUM_PARAMS_ENCODING_FORM"}
CLASSES = {
    "mobile": "PRIVNUM_NUMBER_CLASS_MOBILE",
    "virtual_operator": "PRIVNUM_NUMBER_CLASS_VIRTUAL_OPERATOR",
    "fixed_line": "PRIVNUM_NUMBER_CLASS_FIXED_LINE",
    "service": "PRIVNUM_NUMBER_CLASS_SERVICE",
    "international": "PRIVNUM_NUMBER_CLASS_INTERNATIONAL",
}
CONFIG_KEYS = {"max_age_secs", "max_future_secs", "replay_capacity", "accept_wsse"}


class VectorError(Exception):
    pass


def fail(where, message):
    raise VectorError(f"{where}: {message}")


def result_names():
    """The PRIVNUM_RESULT_* names defined by the header."""
    text = HEADER.read_text(encoding="utf-8")
    return set(re.findall(r"^#define PRIVNUM_RESULT_([A-Z0-9_]+) ", text, re.M))


RESULTS = result_names()


# --- C literals -----------------------------------------------------------


def c_string(s):
    """A C string literal for the UTF-8 bytes of s (octal escapes, no trigraphs)."""
    return c_bytes(s.encode("utf-8"))


def c_bytes(data):
    """A C string literal for arbitrary bytes (octal escapes, no trigraphs)."""
    out = []
    for b in data:
        ch = chr(b)
        if ch in '"\\?':
            out.append("\\" + ch)
        elif 0x20 <= b < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def vstr(s):
    """A vstr initializer; None (JSON null) is { NULL, 0 }."""
    if s is None:
        return "{ NULL, 0 }"
    if not isinstance(s, str):
        raise VectorError(f"expected a string, got {s!r}")
    return "{ %s, %d }" % (c_string(s), len(s.encode("utf-8")))


def c_bool(v):
    if not isinstance(v, bool):
        raise VectorError(f"expected a boolean, got {v!r}")
    return "true" if v else "false"


def c_i64(v):
    if not isinstance(v, int) or isinstance(v, bool) or not -(2**63) <= v < 2**63:
        raise VectorError(f"expected a 64-bit integer, got {v!r}")
    return "INT64_MIN" if v == -(2**63) else f"INT64_C({v})"


def c_u(v, bits):
    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < 2**bits:
        raise VectorError(f"expected a {bits}-bit unsigned integer, got {v!r}")
    return f"UINT{bits}_C({v})"


def c_size(v):
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise VectorError(f"expected a size, got {v!r}")
    return f"{v}u" if v < 2**32 else f"{v}ull"


def lookup(table, key, what):
    if key not in table:
        raise VectorError(f"unknown {what} {key!r}")
    return table[key]


# --- case shapes -------------------------------------------------------------


def check_keys(where, obj, required, optional=()):
    if not isinstance(obj, dict):
        fail(where, f"expected an object, got {obj!r}")
    keys = set(obj)
    missing = set(required) - keys
    extra = keys - set(required) - set(optional)
    if missing:
        fail(where, f"missing keys {sorted(missing)}")
    if extra:
        fail(where, f"unknown keys {sorted(extra)} (teach gen_c_vectors.py and the C runner)")


def outcome(where, case):
    """(error constant, expect dict or None), exactly one of expect/error."""
    has_expect, has_error = "expect" in case, "error" in case
    if has_expect == has_error:
        fail(where, "needs exactly one of 'expect' and 'error'")
    if has_error:
        name = case["error"]
        if name not in RESULTS:
            fail(where, f"error {name!r} is not a PRIVNUM_RESULT_* in include/privnum.h")
        return f"PRIVNUM_RESULT_{name}", None
    return "PRIVNUM_RESULT_OK", case["expect"]


def config(where, c):
    check_keys(where + ".config", c, CONFIG_KEYS)
    return (
        "{ %s, %s, %s, %s }"
        % (
            c_u(c["max_age_secs"], 32),
            c_u(c["max_future_secs"], 32),
            c_size(c["replay_capacity"]),
            c_bool(c["accept_wsse"]),
        )
    )


class Pool:
    """A flat array of (name, value) pairs referenced by (first, count)."""

    def __init__(self):
        self.rows = []

    def add(self, where, pairs):
        if not isinstance(pairs, list):
            fail(where, "expected a list of [name, value] pairs")
        first = len(self.rows)
        for p in pairs:
            if not (isinstance(p, list) and len(p) == 2):
                fail(where, f"expected a [name, value] pair, got {p!r}")
            self.rows.append("    { %s, %s }," % (vstr(p[0]), vstr(p[1])))
        return first, len(pairs)

    def emit(self, name):
        # One terminating empty pair keeps the array non-empty in every case.
        rows = self.rows + ["    { { NULL, 0 }, { NULL, 0 } }, /* end */"]
        return [f"static const vec_pair {name}[] = {{"] + rows + ["};", ""]


def load(name):
    path = VECTORS / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("schema") != 1:
        fail(name, "unknown schema")
    cases = doc.get("cases")
    if not cases:
        fail(name, "no cases")
    ids = [c.get("id") for c in cases]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
        fail(name, "case ids must be unique strings")
    return cases


def gen_numbers():
    rows = []
    for case in load("numbers.json"):
        where = "numbers.json " + case["id"]
        check_keys(where, case, {"id", "input"}, {"default_country", "expect", "error"})
        if "default_country" not in case:
            mode, country = "VEC_COUNTRY_DEFAULT", 0
        elif case["default_country"] is None:
            mode, country = "VEC_COUNTRY_NONE", 0
        else:
            mode, country = "VEC_COUNTRY_CODE", case["default_country"]
        error, e = outcome(where, case)
        fields = [
            c_string(case["id"]),
            vstr(case["input"]),
            mode,
            c_u(country, 32),
            error,
        ]
        if e is None:
            fields += ["{ NULL, 0 }"] * 5 + ["0", "NULL", "0", "{ NULL, 0 }", "false", "false"]
        else:
            check_keys(
                where + ".expect",
                e,
                {
                    "e164",
                    "query",
                    "masked",
                    "national",
                    "national_significant",
                    "class",
                    "country_code",
                    "area_code",
                    "bindable",
                    "can_call_x",
                },
            )
            fields += [
                vstr(e["e164"]),
                vstr(e["query"]),
                vstr(e["masked"]),
                vstr(e["national"]),
                vstr(e["national_significant"]),
                lookup(CLASSES, e["class"], "class"),
                c_string(e["class"]),
                c_u(e["country_code"], 16),
                vstr(e["area_code"]),
                c_bool(e["bindable"]),
                c_bool(e["can_call_x"]),
            ]
        rows.append("    { " + ", ".join(fields) + " },")
    return ["static const vec_number_case vec_number_cases[] = {"] + rows + ["};", ""]


def gen_fields():
    rows = []
    for case in load("fields.json"):
        where = "fields.json " + case["id"]
        check_keys(where, case, {"id", "field", "bounds"}, {"value", "number", "expect", "error"})
        if ("value" in case) == ("number" in case):
            fail(where, "needs exactly one of 'value' and 'number'")
        error, e = outcome(where, case)
        if e is not None and e != {}:
            fail(where, "expect must be {}")
        bounds = case["bounds"]
        if not (isinstance(bounds, list) and len(bounds) == 2):
            fail(where, "bounds must be [min, max]")
        is_number = "number" in case
        fields = [
            c_string(case["id"]),
            vstr(case["field"]),
            c_size(bounds[0]),
            c_size(bounds[1]),
            c_bool(is_number),
            vstr(case["number"] if is_number else case["value"]),
            error,
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    return ["static const vec_field_case vec_field_cases[] = {"] + rows + ["};", ""]


def gen_signing():
    rows = []
    for case in load("signing.json"):
        where = "signing.json " + case["id"]
        op = case.get("op")
        error, e = outcome(where, case)
        scheme, app_key, app_secret, nonce, created, unix = "0", None, None, None, None, 0
        digest = header = header_name = authorization = want_created = None
        want_unix = 0
        if op == "sign":
            check_keys(
                where,
                case,
                {"id", "op", "scheme", "app_key", "app_secret", "nonce", "created"},
                {"expect", "error"},
            )
            scheme = lookup(SCHEMES, case["scheme"], "scheme")
            app_key, app_secret = case["app_key"], case["app_secret"]
            nonce, created = case["nonce"], case["created"]
            if e is not None:
                check_keys(where + ".expect", e, {"digest", "header", "header_name", "authorization"})
                digest, header = e["digest"], e["header"]
                header_name, authorization = e["header_name"], e["authorization"]
            c_op = "VEC_SIGN_OP_SIGN"
        elif op == "new_signer":
            check_keys(where, case, {"id", "op", "app_key", "app_secret"}, {"expect", "error"})
            if e is not None and e != {}:
                fail(where, "expect must be {}")
            app_key, app_secret = case["app_key"], case["app_secret"]
            c_op = "VEC_SIGN_OP_NEW_SIGNER"
        elif op == "format_created":
            check_keys(where, case, {"id", "op", "unix"}, {"expect", "error"})
            unix = case["unix"]
            if e is not None:
                check_keys(where + ".expect", e, {"created"})
                want_created = e["created"]
            c_op = "VEC_SIGN_OP_FORMAT_CREATED"
        elif op == "parse_created":
            check_keys(where, case, {"id", "op", "created"}, {"expect", "error"})
            created = case["created"]
            if e is not None:
                check_keys(where + ".expect", e, {"unix"})
                want_unix = e["unix"]
            c_op = "VEC_SIGN_OP_PARSE_CREATED"
        else:
            fail(where, f"unknown op {op!r}")
        fields = [
            c_string(case["id"]),
            c_op,
            scheme,
            vstr(app_key),
            vstr(app_secret),
            vstr(nonce),
            vstr(created),
            c_i64(unix),
            error,
            vstr(digest),
            vstr(header),
            vstr(header_name),
            vstr(authorization),
            vstr(want_created),
            c_i64(want_unix),
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    return ["static const vec_sign_case vec_sign_cases[] = {"] + rows + ["};", ""]


def gen_verify():
    pool, steps, cases = Pool(), [], []
    for case in load("verify.json"):
        where = "verify.json " + case["id"]
        check_keys(where, case, {"id", "app_key", "app_secret", "config", "steps"})
        first_step = len(steps)
        if not isinstance(case["steps"], list) or not case["steps"]:
            fail(where, "steps must be a non-empty list")
        for i, step in enumerate(case["steps"]):
            swhere = f"{where}#{i}"
            if "forget" in step:
                check_keys(swhere, step, {"forget"})
                fields = ["true", vstr(step["forget"]), "0", "0", "INT64_C(0)", "PRIVNUM_RESULT_OK"]
                fields += ["0", "{ NULL, 0 }", "INT64_C(0)", "false"]
            else:
                check_keys(swhere, step, {"headers", "now"}, {"expect", "error"})
                first, n = pool.add(swhere, step["headers"])
                error, e = outcome(swhere, step)
                fields = ["false", "{ NULL, 0 }", c_size(first), c_size(n), c_i64(step["now"]), error]
                if e is None:
                    fields += ["0", "{ NULL, 0 }", "INT64_C(0)", "false"]
                else:
                    check_keys(swhere + ".expect", e, {"scheme", "nonce", "created", "wsse_raw_digest"})
                    fields += [
                        lookup(SCHEMES, e["scheme"], "scheme"),
                        vstr(e["nonce"]),
                        c_i64(e["created"]),
                        c_bool(e["wsse_raw_digest"]),
                    ]
            steps.append("    { " + ", ".join(fields) + " },")
        fields = [
            c_string(case["id"]),
            vstr(case["app_key"]),
            vstr(case["app_secret"]),
            config(where, case["config"]),
            c_size(first_step),
            c_size(len(steps) - first_step),
        ]
        cases.append("    { " + ", ".join(fields) + " },")
    return (
        pool.emit("vec_verify_headers")
        + ["static const vec_verify_step vec_verify_steps[] = {"]
        + steps
        + ["};", ""]
        + ["static const vec_verify_case vec_verify_cases[] = {"]
        + cases
        + ["};", ""]
    )


def profile(where, p):
    check_keys(where + ".profile", p, {"kind"}, {"method"})
    if p["kind"] == "rpc_v1":
        check_keys(where + ".profile", p, {"kind", "method"})
        methods = {
            "GET": "PRIVNUM_PARAMS_PROFILE_RPC_V1_GET",
            "POST": "PRIVNUM_PARAMS_PROFILE_RPC_V1_POST",
        }
        return lookup(methods, p["method"], "rpc_v1 method")
    if p["kind"] == "call_control":
        check_keys(where + ".profile", p, {"kind"})
        return "PRIVNUM_PARAMS_PROFILE_CALL_CONTROL"
    fail(where, f"unknown profile kind {p['kind']!r}")


def gen_params():
    pool, steps, cases = Pool(), [], []
    no_config = "{ 0, 0, 0, false }"
    for case in load("params.json"):
        where = "params.json " + case["id"]
        op = case.get("op")
        encoding, input_, output = "0", None, None
        prof, secret, first, n = "0", None, 0, 0
        error, sts, sig = "PRIVNUM_RESULT_OK", None, None
        cfg, first_step, n_steps = no_config, len(steps), 0
        if op == "encode":
            check_keys(where, case, {"id", "op", "encoding", "input", "expect"})
            encoding = lookup(ENCODINGS, case["encoding"], "encoding")
            input_ = case["input"]
            check_keys(where + ".expect", case["expect"], {"output"})
            output = case["expect"]["output"]
            c_op = "VEC_PARAMS_OP_ENCODE"
        elif op == "sign":
            check_keys(where, case, {"id", "op", "profile", "secret", "params"}, {"expect", "error"})
            prof = profile(where, case["profile"])
            secret = case["secret"]
            first, n = pool.add(where, case["params"])
            error, e = outcome(where, case)
            if e is not None:
                check_keys(where + ".expect", e, {"string_to_sign", "signature"})
                sts, sig = e["string_to_sign"], e["signature"]
            c_op = "VEC_PARAMS_OP_SIGN"
        elif op == "verify":
            check_keys(where, case, {"id", "op", "profile", "secret", "config", "steps"})
            prof = profile(where, case["profile"])
            secret = case["secret"]
            cfg = config(where, case["config"])
            if not isinstance(case["steps"], list) or not case["steps"]:
                fail(where, "steps must be a non-empty list")
            for i, step in enumerate(case["steps"]):
                swhere = f"{where}#{i}"
                check_keys(swhere, step, {"params", "now"}, {"expect", "error"})
                sfirst, sn = pool.add(swhere, step["params"])
                serror, e = outcome(swhere, step)
                fields = [c_size(sfirst), c_size(sn), c_i64(step["now"]), serror]
                if e is None:
                    fields += ["0", "false", "false", "INT64_C(0)"]
                else:
                    check_keys(swhere + ".expect", e, {"encoding", "key_ampersand", "timestamp"})
                    ts = e["timestamp"]
                    fields += [
                        lookup(ENCODINGS, e["encoding"], "encoding"),
                        c_bool(e["key_ampersand"]),
                        c_bool(ts is not None),
                        c_i64(0 if ts is None else ts),
                    ]
                steps.append("    { " + ", ".join(fields) + " },")
            n_steps = len(steps) - first_step
            c_op = "VEC_PARAMS_OP_VERIFY"
        else:
            fail(where, f"unknown op {op!r}")
        fields = [
            c_string(case["id"]),
            c_op,
            encoding,
            vstr(input_),
            vstr(output),
            prof,
            vstr(secret),
            c_size(first),
            c_size(n),
            error,
            vstr(sts),
            vstr(sig),
            cfg,
            c_size(first_step),
            c_size(n_steps),
        ]
        cases.append("    { " + ", ".join(fields) + " },")
    # Keep the steps array non-empty even if no verify case exists.
    steps.append("    { 0, 0, INT64_C(0), PRIVNUM_RESULT_OK, 0, false, false, INT64_C(0) }, /* end */")
    return (
        pool.emit("vec_params_pairs")
        + ["static const vec_params_step vec_params_steps[] = {"]
        + steps
        + ["};", ""]
        + ["static const vec_params_case vec_params_cases[] = {"]
        + cases
        + ["};", ""]
    )


PRELUDE = """\
/*
 * Generated by tests/tools/gen_c_vectors.py from the JSON files in tests/vectors.
 * Do not edit: change the JSON and run `python3 tests/tools/gen_c_vectors.py`.
 * Included only by tests/c/test_vectors.c.
 */

#ifndef PRIVNUM_VECTORS_GEN_H
#define PRIVNUM_VECTORS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privnum.h"

/* UTF-8 text with its length in bytes; ptr is NULL for JSON null / absent. */
typedef struct vec_str {
    const char *ptr;
    size_t len;
} vec_str;

typedef struct vec_pair {
    vec_str name;
    vec_str value;
} vec_pair;

/* numbers.json */
enum { VEC_COUNTRY_DEFAULT = 1, VEC_COUNTRY_NONE = 2, VEC_COUNTRY_CODE = 3 };

typedef struct vec_number_case {
    const char *id;
    vec_str input;
    int country_mode;           /* VEC_COUNTRY_* */
    uint32_t country;           /* for VEC_COUNTRY_CODE */
    privnum_result error;       /* PRIVNUM_RESULT_OK: the fields below are expected */
    vec_str e164, query, masked, national, national_significant;
    uint32_t number_class;      /* PRIVNUM_NUMBER_CLASS_* */
    const char *class_name;
    uint16_t country_code;
    vec_str area_code;          /* ptr NULL: no area code */
    bool bindable, can_call_x;
} vec_number_case;

/* fields.json */
typedef struct vec_field_case {
    const char *id;
    vec_str field;              /* name, e.g. "axb.callerNum" */
    size_t min, max;
    bool is_number;             /* value is a number to parse (default 86) and check in E.164 form */
    vec_str value;
    privnum_result error;
} vec_field_case;

/* signing.json */
enum {
    VEC_SIGN_OP_SIGN = 1,
    VEC_SIGN_OP_NEW_SIGNER = 2,
    VEC_SIGN_OP_FORMAT_CREATED = 3,
    VEC_SIGN_OP_PARSE_CREATED = 4
};

typedef struct vec_sign_case {
    const char *id;
    int op;                     /* VEC_SIGN_OP_* */
    uint32_t scheme;            /* PRIVNUM_SCHEME_* (sign) */
    vec_str app_key, app_secret, nonce;
    vec_str created;            /* input of sign and parse_created */
    int64_t unix_time;          /* input of format_created */
    privnum_result error;
    vec_str digest, header, header_name, authorization; /* sign */
    vec_str want_created;       /* format_created */
    int64_t want_unix;          /* parse_created */
} vec_sign_case;

/* verify.json: cases own ranges of steps, steps own ranges of headers. */
typedef struct vec_verify_step {
    bool forget;                /* a {"forget": nonce} step */
    vec_str forget_nonce;
    size_t first_header, n_headers;
    int64_t now;
    privnum_result error;
    uint32_t scheme;            /* PRIVNUM_SCHEME_* */
    vec_str nonce;
    int64_t created;
    bool wsse_raw_digest;
} vec_verify_step;

typedef struct vec_verify_case {
    const char *id;
    vec_str app_key, app_secret;
    privnum_verifier_config config;
    size_t first_step, n_steps;
} vec_verify_case;

/* params.json */
enum { VEC_PARAMS_OP_ENCODE = 1, VEC_PARAMS_OP_SIGN = 2, VEC_PARAMS_OP_VERIFY = 3 };

typedef struct vec_params_step {
    size_t first_param, n_params;
    int64_t now;
    privnum_result error;
    uint32_t encoding;          /* PRIVNUM_PARAMS_ENCODING_* */
    bool key_ampersand;
    bool has_timestamp;
    int64_t timestamp;
} vec_params_step;

typedef struct vec_params_case {
    const char *id;
    int op;                     /* VEC_PARAMS_OP_* */
    uint32_t encoding;          /* encode */
    vec_str input, output;      /* encode */
    uint32_t profile;           /* PRIVNUM_PARAMS_PROFILE_* (sign, verify) */
    vec_str secret;
    size_t first_param, n_params; /* sign */
    privnum_result error;       /* sign */
    vec_str string_to_sign, signature; /* sign */
    privnum_verifier_config config; /* verify */
    size_t first_step, n_steps; /* verify */
} vec_params_case;

#define VEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

"""


def generate():
    lines = [PRELUDE.rstrip("\n"), ""]
    for part in (gen_numbers, gen_fields, gen_signing, gen_verify, gen_params):
        lines += part()
    lines += ["#endif /* PRIVNUM_VECTORS_GEN_H */", ""]
    return "\n".join(lines)


# --- callbacks: pushes, inbox, codes, replies, sms_segments, call_control -----

# Longest string emitted as a literal: ISO C only promises 4095 characters,
# and -Wpedantic (with -Werror) refuses longer ones.
MAX_LITERAL = 4000


class Blobs:
    """Texts too long for a string literal, as unsigned char arrays (deduplicated)."""

    def __init__(self):
        self.names = {}
        self.lines = []

    def vstr(self, s):
        if s is None or len(s.encode("utf-8")) <= MAX_LITERAL:
            return vstr(s)
        return self.raw(s.encode("utf-8"))

    def raw(self, data):
        """A vec_str of arbitrary bytes."""
        if len(data) <= MAX_LITERAL:
            return "{ %s, %d }" % (c_bytes(data), len(data))
        name = self.names.get(data)
        if name is None:
            name = f"vec_blob_{len(self.names)}"
            self.names[data] = name
            self.lines.append(f"static const unsigned char {name}[{len(data)}] = {{")
            for i in range(0, len(data), 32):
                self.lines.append("    " + ",".join(str(b) for b in data[i : i + 32]) + ",")
            self.lines += ["};", ""]
        return "{ (const char *)%s, %d }" % (name, len(data))


def c_cstr(s):
    """A const char * initializer: a literal, or NULL for None."""
    return "NULL" if s is None else c_string(s)


def body_of(blobs, where, obj):
    has_body, has_hex = "body" in obj, "body_hex" in obj
    if has_body == has_hex:
        fail(where, "needs exactly one of 'body' and 'body_hex'")
    if has_body:
        if not isinstance(obj["body"], str):
            fail(where, "body must be a string")
        return blobs.raw(obj["body"].encode("utf-8"))
    try:
        data = bytes.fromhex(obj["body_hex"])
    except (TypeError, ValueError):
        fail(where, "body_hex is not hex")
    return blobs.raw(data)


def error_of(where, case):
    """(error constant, message_contains) of a case that has an 'error'."""
    name = case["error"]
    if name not in RESULTS:
        fail(where, f"error {name!r} is not a PRIVNUM_RESULT_* in include/privnum.h")
    mc = case.get("message_contains")
    if mc is not None and not isinstance(mc, str):
        fail(where, "message_contains must be a string")
    return f"PRIVNUM_RESULT_{name}", c_cstr(mc)


PUSH_KINDS = {
    "call": "PRIVNUM_PUSH_KIND_CALL",
    "cdrs": "PRIVNUM_PUSH_KIND_CDRS",
    "sms": "PRIVNUM_PUSH_KIND_SMS",
    "number_status": "PRIVNUM_PUSH_KIND_NUMBER_STATUS",
}

# Field names the C runner knows, by scope, with the JSON types they take.
STR, INT, BOOL, RECORDING = "str", "int", "bool", "recording"
CDR_FIELDS = {
    **{n: STR for n in ("icid", "session_id", "caller_num", "fwd_dst_num", "bind_num",
                        "subscription_id", "extend_num", "user_data", "notify_mode", "key",
                        "caller_e164", "destination_e164", "hung_up_by")},
    **{n: INT for n in ("direction", "record_flag", "call_in_time", "fwd_answer_time",
                        "call_end_time", "record_start_time", "ul_fail_reason",
                        "fwd_unasw_rsn", "talk_seconds", "ring_seconds")},
    **{n: BOOL for n in ("answered", "has_failure")},
    "recording": RECORDING,
}
INFO_FIELDS = {
    **{n: STR for n in ("session_id", "caller", "called", "subscription_id", "user_data",
                        "notify_mode", "digit_info", "state_desc", "display_caller_num",
                        "extra_party_type", "caller_e164")},
    **{n: INT for n in ("timestamp", "state_code")},
}
SMS_FIELDS = {
    **{n: STR for n in ("app_key", "sms_identifier", "notification_mode", "calling", "called",
                        "virtual_number", "sms_content", "key")},
    **{n: INT for n in ("time_stamp", "send_result", "split_num", "direction")},
    "needs_reply": BOOL,
}


def check_value(where, name, kind, v):
    """A vec_value initializer for the expected value v of a field of type kind."""
    if v is None:
        return "{ VEC_V_NULL, false, INT64_C(0), { NULL, 0 }, { NULL, 0 } }"
    if kind == STR:
        if not isinstance(v, str):
            fail(where, f"{name} must be a string or null")
        return "{ VEC_V_STR, false, INT64_C(0), %s, { NULL, 0 } }" % vstr(v)
    if kind == INT:
        return "{ VEC_V_INT, false, %s, { NULL, 0 }, { NULL, 0 } }" % c_i64(v)
    if kind == BOOL:
        return "{ VEC_V_BOOL, %s, INT64_C(0), { NULL, 0 }, { NULL, 0 } }" % c_bool(v)
    check_keys(f"{where}.{name}", v, {"file_name", "record_domain"})
    return "{ VEC_V_RECORDING, false, INT64_C(0), %s, %s }" % (
        vstr(v["file_name"]),
        vstr(v["record_domain"]),
    )


def gen_pushes(blobs):
    checks, entries, cases = [], [], []

    def add_checks(where, scope, index, fields, want):
        if not isinstance(want, dict):
            fail(where, "expected an object of fields")
        for name, v in want.items():
            if scope == "VEC_SCOPE_CDR" and name == "extra":
                if not isinstance(v, dict):
                    fail(where, "extra must be an object")
                for field, raw in v.items():
                    checks.append(
                        "    { VEC_SCOPE_CDR_EXTRA, %d, %s, %s },"
                        % (index, c_string(field), check_value(where, field, STR, raw))
                    )
                continue
            if name not in fields:
                fail(where, f"unknown field {name!r} (teach gen_c_vectors.py and the C runner)")
            checks.append(
                "    { %s, %d, %s, %s },"
                % (scope, index, c_string(name), check_value(where, name, fields[name], v))
            )

    for case in load("pushes.json"):
        where = "pushes.json " + case["id"]
        check_keys(where, case, {"id"}, {"body", "body_hex", "expect", "error", "message_contains"})
        body = body_of(blobs, where, case)
        first_check, first_entry = len(checks), len(entries)
        kind, has_count, count, n_records = "0", False, 0, 0
        event, has_needs_reply, needs_reply = None, False, False
        if "error" in case:
            if "expect" in case:
                fail(where, "needs exactly one of 'expect' and 'error'")
            error, mc = error_of(where, case)
        else:
            if "message_contains" in case:
                fail(where, "message_contains only goes with error")
            error, mc = "PRIVNUM_RESULT_OK", "NULL"
            e = case["expect"]
            k = e.get("kind")
            kind = lookup(PUSH_KINDS, k, "push kind")
            if k == "cdrs":
                check_keys(where + ".expect", e, {"kind", "records"}, {"count"})
                if "count" in e:
                    has_count, count = True, e["count"]
                if not isinstance(e["records"], list):
                    fail(where, "records must be a list")
                n_records = len(e["records"])
                for i, r in enumerate(e["records"]):
                    add_checks(f"{where}.records[{i}]", "VEC_SCOPE_CDR", i, CDR_FIELDS, r)
            elif k == "call":
                check_keys(where + ".expect", e, {"kind", "event"}, {"needs_reply", "info"})
                event = e["event"]
                if "needs_reply" in e:
                    has_needs_reply, needs_reply = True, e["needs_reply"]
                add_checks(where + ".info", "VEC_SCOPE_INFO", 0, INFO_FIELDS, e.get("info", {}))
            elif k == "sms":
                check_keys(where + ".expect", e, {"kind", "sms"})
                add_checks(where + ".sms", "VEC_SCOPE_SMS", 0, SMS_FIELDS, e["sms"])
            else:
                check_keys(where + ".expect", e, {"kind", "entries"})
                for i, en in enumerate(e["entries"]):
                    check_keys(f"{where}.entries[{i}]", en, {"number", "status", "cause"})
                    cause = en["cause"]
                    entries.append(
                        "    { %s, %s, %s, %s },"
                        % (
                            vstr(en["number"]),
                            c_u(en["status"], 32),
                            c_bool(cause is not None),
                            c_u(0 if cause is None else cause, 32),
                        )
                    )
        fields = [
            c_string(case["id"]),
            body,
            error,
            mc,
            kind,
            c_bool(has_count),
            c_size(count),
            c_size(n_records),
            vstr(event),
            c_bool(has_needs_reply),
            c_bool(needs_reply),
            c_size(first_check),
            c_size(len(checks) - first_check),
            c_size(first_entry),
            c_size(len(entries) - first_entry),
        ]
        cases.append("    { " + ", ".join(fields) + " },")
    entries.append("    { { NULL, 0 }, 0, false, 0 }, /* end */")
    return (
        ["static const vec_push_check vec_push_checks[] = {"]
        + checks
        + ["};", "", "static const vec_push_entry vec_push_entries[] = {"]
        + entries
        + ["};", "", "static const vec_push_case vec_push_cases[] = {"]
        + cases
        + ["};", ""]
    )


INBOX_CONFIG_KEYS = {"max_body_bytes", "dedup_window_secs", "dedup_capacity", "max_age_secs"}


def gen_inbox(blobs):
    pool, dups, steps, cases = Pool(), [], [], []
    for case in load("inbox.json"):
        where = "inbox.json " + case["id"]
        check_keys(where, case, {"id", "config", "steps"}, {"app_key", "app_secret"})
        if ("app_key" in case) != ("app_secret" in case):
            fail(where, "app_key and app_secret go together")
        cfg = case["config"]
        check_keys(where + ".config", cfg, set(), INBOX_CONFIG_KEYS)
        if not isinstance(case["steps"], list) or not case["steps"]:
            fail(where, "steps must be a non-empty list")
        first_step = len(steps)
        for i, step in enumerate(case["steps"]):
            swhere = f"{where}#{i}"
            check_keys(
                swhere,
                step,
                {"now"},
                {"body", "body_hex", "headers", "commit", "expect", "error", "message_contains"},
            )
            first_header, n_headers = pool.add(swhere, step.get("headers", []))
            first_dup, n_dups, is_dup, verified = len(dups), 0, False, False
            if "error" in step:
                if "expect" in step:
                    fail(swhere, "needs exactly one of 'expect' and 'error'")
                error, mc = error_of(swhere, step)
            else:
                if "message_contains" in step:
                    fail(swhere, "message_contains only goes with error")
                error, mc = "PRIVNUM_RESULT_OK", "NULL"
                e = step["expect"]
                check_keys(swhere + ".expect", e, {"duplicates", "is_duplicate", "verified"})
                if not isinstance(e["duplicates"], list):
                    fail(swhere, "duplicates must be a list")
                dups += ["    %s," % c_bool(d) for d in e["duplicates"]]
                n_dups = len(e["duplicates"])
                is_dup, verified = e["is_duplicate"], e["verified"]
            fields = [
                body_of(blobs, swhere, step),
                c_size(first_header),
                c_size(n_headers),
                c_i64(step["now"]),
                c_bool(step.get("commit", False)),
                error,
                mc,
                c_size(first_dup),
                c_size(n_dups),
                c_bool(is_dup),
                c_bool(verified),
            ]
            steps.append("    { " + ", ".join(fields) + " },")

        def opt(key, conv):
            return [c_bool(key in cfg), conv(cfg.get(key, 0))]

        fields = [c_string(case["id"])]
        fields += opt("max_body_bytes", c_size)
        fields += opt("dedup_window_secs", lambda v: c_u(v, 32))
        fields += opt("dedup_capacity", c_size)
        # The file's convention: max_age_secs defaults to 600 (not the library's 21600).
        fields += [c_u(cfg.get("max_age_secs", 600), 32)]
        fields += [vstr(case.get("app_key")), vstr(case.get("app_secret"))]
        fields += [c_size(first_step), c_size(len(steps) - first_step)]
        cases.append("    { " + ", ".join(fields) + " },")
    dups.append("    false, /* end */")
    return (
        pool.emit("vec_inbox_headers")
        + ["static const bool vec_inbox_dups[] = {"]
        + dups
        + ["};", "", "static const vec_inbox_step vec_inbox_steps[] = {"]
        + steps
        + ["};", "", "static const vec_inbox_case vec_inbox_cases[] = {"]
        + cases
        + ["};", ""]
    )


CODE_TABLES = {
    "fail_reason": "VEC_TABLE_FAIL_REASON",
    "q850": "VEC_TABLE_Q850",
    "result_code": "VEC_TABLE_RESULT_CODE",
    "number_status": "VEC_TABLE_NUMBER_STATUS",
    "unavailable_cause": "VEC_TABLE_UNAVAILABLE_CAUSE",
    "send_result": "VEC_TABLE_SEND_RESULT",
}
CODE_EXPECT = {
    "fail_reason": ({"known", "category", "hung_up_by", "normal"}, set()),
    "q850": ({"known", "normal"}, set()),
    "result_code": ({"known", "success", "action", "retryable"}, {"max_retries"}),
    "number_status": ({"status", "known", "binding_usable", "new_bindings_allowed"}, set()),
    "unavailable_cause": ({"cause", "known"}, set()),
    "send_result": ({"known", "success"}, set()),
}


def screaming_constant(prefix, name, where):
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]+", name):
        fail(where, f"{name!r} is not a snake_case name")
    return prefix + name.upper()


def gen_codes():
    rows = []
    for case in load("codes.json"):
        where = "codes.json " + case["id"]
        check_keys(where, case, {"id", "table", "code", "expect"}, {"http_status"})
        table = case["table"]
        c_table = lookup(CODE_TABLES, table, "table")
        required, optional = CODE_EXPECT[table]
        e = case["expect"]
        name_key = {"number_status": "status", "unavailable_cause": "cause"}.get(table)
        if name_key and isinstance(e, dict) and e.get(name_key, "") is None:
            # Not a number: nothing else to check.
            required, optional = {name_key}, set()
        check_keys(where + ".expect", e, required, optional)
        if "http_status" in case and table != "result_code":
            fail(where, "http_status only goes with result_code")
        integer = table in ("fail_reason", "q850", "send_result")
        code, wire = (case["code"], None) if integer else (0, case["code"])
        if not integer and not isinstance(wire, str):
            fail(where, "code must be a string")
        http = case.get("http_status", -1)
        if not isinstance(http, int) or not -1 <= http <= 65535:
            fail(where, "http_status must be an HTTP status")
        category = e.get("category")
        party = e.get("hung_up_by")
        action = e.get("action")
        name = e.get("status", e.get("cause"))
        fields = [
            c_string(case["id"]),
            c_table,
            c_u(code, 32),
            vstr(wire),
            "INT32_C(%d)" % http,
            c_bool(e.get("known", False)),
            c_bool(e.get("normal", False)),
            c_bool(e.get("success", False)),
            c_bool(e.get("retryable", False)),
            c_cstr(category),
            screaming_constant("PRIVNUM_FAIL_CATEGORY_", category, where) if category else "0",
            c_cstr(party),
            screaming_constant("PRIVNUM_PARTY_", party, where) if party else "PRIVNUM_PARTY_NONE",
            c_cstr(action),
            screaming_constant("PRIVNUM_ACTION_", action, where) if action else "0",
            c_bool("max_retries" in e),
            c_u(e.get("max_retries", 0), 32),
            c_cstr(name),
            c_bool(e.get("binding_usable", False)),
            c_bool(e.get("new_bindings_allowed", False)),
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    return ["static const vec_code_case vec_code_cases[] = {"] + rows + ["};", ""]


REPLY_KINDS = {
    "connect": "VEC_REPLY_CONNECT",
    "close": "VEC_REPLY_CLOSE",
    "sms_route": "VEC_REPLY_SMS_ROUTE",
    "sms_discard": "VEC_REPLY_SMS_DISCARD",
    "call_control": "VEC_REPLY_CALL_CONTROL",
}
REPLY_INPUTS = {
    "connect": {"callee", "display", "max_duration", "wait_voice", "record", "record_hint_tone",
                "last_min_voice", "user_data", "form"},
    "close": {"close_hint_tone", "user_data", "form"},
    "sms_route": {"calling", "called", "user_data"},
    "sms_discard": {"user_data"},
    "call_control": {"operate", "message", "control_msg", "subs_id", "call_no_play_code", "extra"},
}
FORMS = {"object": "PRIVNUM_INFO_FORM_OBJECT", "array": "PRIVNUM_INFO_FORM_ARRAY"}
OPERATES = {
    "CONTINUE": "PRIVNUM_CONTROL_OPERATE_CONTINUE",
    "REJECT": "PRIVNUM_CONTROL_OPERATE_REJECT",
    "IVR": "PRIVNUM_CONTROL_OPERATE_IVR",
}


def gen_replies(blobs):
    pool, rows = Pool(), []
    for case in load("replies.json"):
        where = "replies.json " + case["id"]
        kind = case.get("kind")
        c_kind = lookup(REPLY_KINDS, kind, "reply kind")
        check_keys(where, case, {"id", "kind"}, REPLY_INPUTS[kind] | {"expect", "error"})
        error, e = outcome(where, case)
        if e is not None:
            check_keys(where + ".expect", e, {"json"})
        if error not in ("PRIVNUM_RESULT_OK", "PRIVNUM_RESULT_REPLY_INVALID",
                         "PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS"):
            fail(where, "replies fail only with REPLY_INVALID or FIELD_OUT_OF_BOUNDS")

        def s(key):
            return blobs.vstr(case.get(key))

        first_extra, n_extra = pool.add(where, case.get("extra", []))
        fields = [
            c_string(case["id"]),
            c_kind,
            s("callee"),
            s("display"),
            c_bool("max_duration" in case),
            c_u(case.get("max_duration", 0), 32),
            s("wait_voice"),
            c_bool("record" in case),
            c_bool(case.get("record", False)),
            s("record_hint_tone"),
            s("last_min_voice"),
            s("user_data"),
            lookup(FORMS, case["form"], "form") if "form" in case else "0",
            s("close_hint_tone"),
            s("calling"),
            s("called"),
            lookup(OPERATES, case["operate"], "operate") if "operate" in case else "0",
            s("message"),
            s("control_msg"),
            s("subs_id"),
            s("call_no_play_code"),
            c_size(first_extra),
            c_size(n_extra),
            error,
            blobs.vstr(None if e is None else e["json"]),
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    return (
        pool.emit("vec_reply_extras")
        + ["static const vec_reply_case vec_reply_cases[] = {"]
        + rows
        + ["};", ""]
    )


SMS_ENCODINGS = {"gsm7": "PRIVNUM_SMS_ENCODING_GSM7", "ucs2": "PRIVNUM_SMS_ENCODING_UCS2"}


def gen_segments():
    parts, rows = [], []
    for case in load("sms_segments.json"):
        where = "sms_segments.json " + case["id"]
        check_keys(where, case, {"id", "expect"}, {"text", "text_repeat", "ax_b_number"})
        if ("text" in case) == ("text_repeat" in case):
            fail(where, "needs exactly one of text and text_repeat")
        first_part = len(parts)
        if "text_repeat" in case:
            rep = case["text_repeat"]
            for part in rep if isinstance(rep, list) else [rep]:
                check_keys(where + ".text_repeat", part, {"unit", "count"})
                parts.append("    { %s, %s }," % (vstr(part["unit"]), c_size(part["count"])))
        e = case["expect"]
        check_keys(where + ".expect", e, {"encoding", "segments", "units", "per_segment", "remaining"})
        fields = [
            c_string(case["id"]),
            vstr(case.get("text")),
            c_size(first_part),
            c_size(len(parts) - first_part),
            vstr(case.get("ax_b_number")),
            lookup(SMS_ENCODINGS, e["encoding"], "encoding"),
            c_string(e["encoding"]),
            c_u(e["segments"], 32),
            c_u(e["units"], 32),
            c_u(e["per_segment"], 32),
            c_u(e["remaining"], 32),
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    parts.append("    { { NULL, 0 }, 0 }, /* end */")
    return (
        ["static const vec_segment_part vec_segment_parts[] = {"]
        + parts
        + ["};", "", "static const vec_segment_case vec_segment_cases[] = {"]
        + rows
        + ["};", ""]
    )


# The verifier every call_control.json case runs against (the file's
# _comment; core/tests/control_vectors.rs uses the same settings).
CALL_CONTROL_CONFIG = {
    "max_age_secs": 900,
    "max_future_secs": 300,
    "replay_capacity": 100,
    "accept_wsse": False,
}
# core's RecordType::from_wire: any other text is OTHER, an absent one 0.
RECORD_TYPES = {"CAL": "PRIVNUM_RECORD_TYPE_CALL", "SMS": "PRIVNUM_RECORD_TYPE_SMS"}
CALL_CONTROL_EXPECT = {
    "call_no",
    "secret_no",
    "record_type",
    "call_time",
    "call_id",
    "extension",
    "call_time_utc8",
    "caller_e164",
    "x_e164",
}


def gen_call_control():
    pool, steps, cases = Pool(), [], []
    for case in load("call_control.json"):
        where = "call_control.json " + case["id"]
        check_keys(where, case, {"id", "secret", "steps"})
        if not isinstance(case["steps"], list) or not case["steps"]:
            fail(where, "steps must be a non-empty list")
        first_step = len(steps)
        for i, step in enumerate(case["steps"]):
            swhere = f"{where}#{i}"
            check_keys(swhere, step, {"params", "now"}, {"expect", "error"})
            first, n = pool.add(swhere, step["params"])
            error, e = outcome(swhere, step)
            fields = [c_size(first), c_size(n), c_i64(step["now"]), error]
            if e is None:
                fields += ["{ NULL, 0 }"] * 6 + ["0", "false", "INT64_C(0)"]
                fields += ["{ NULL, 0 }"] * 2
            else:
                check_keys(swhere + ".expect", e, CALL_CONTROL_EXPECT)
                for key in ("call_no", "secret_no"):
                    if not isinstance(e[key], str):
                        fail(swhere, f"expect.{key} must be a string")
                rt, utc8 = e["record_type"], e["call_time_utc8"]
                kind = "0" if rt is None else RECORD_TYPES.get(rt, "PRIVNUM_RECORD_TYPE_OTHER")
                fields += [
                    vstr(e["call_no"]),
                    vstr(e["secret_no"]),
                    vstr(e["extension"]),
                    vstr(e["call_time"]),
                    vstr(e["call_id"]),
                    vstr(rt),
                    kind,
                    c_bool(utc8 is not None),
                    c_i64(0 if utc8 is None else utc8),
                    vstr(e["caller_e164"]),
                    vstr(e["x_e164"]),
                ]
            steps.append("    { " + ", ".join(fields) + " },")
        fields = [
            c_string(case["id"]),
            vstr(case["secret"]),
            c_size(first_step),
            c_size(len(steps) - first_step),
        ]
        cases.append("    { " + ", ".join(fields) + " },")
    return (
        ["static const privnum_verifier_config vec_control_config = %s;"
         % config("call_control.json", CALL_CONTROL_CONFIG), ""]
        + pool.emit("vec_control_params")
        + ["static const vec_control_step vec_control_steps[] = {"]
        + steps
        + ["};", "", "static const vec_control_case vec_control_cases[] = {"]
        + cases
        + ["};", ""]
    )


CALLBACKS_PRELUDE = """\\
/*
 * Generated by tests/tools/gen_c_vectors.py from the JSON files in tests/vectors
 * (pushes, inbox, codes, replies, sms_segments, call_control). Do not edit:
 * change the JSON and run `python3 tests/tools/gen_c_vectors.py`.
 * Included only by tests/c/test_callbacks.c.
 */

#ifndef PRIVNUM_CALLBACKS_GEN_H
#define PRIVNUM_CALLBACKS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privnum.h"

/* Text (or, for bodies, any bytes) with its length; ptr is NULL for JSON null / absent. */
typedef struct vec_str {
    const char *ptr;
    size_t len;
} vec_str;

typedef struct vec_pair {
    vec_str name;
    vec_str value;
} vec_pair;

/* An expected value: JSON null, a boolean, an integer, a string, or a recording. */
enum { VEC_V_NULL = 0, VEC_V_BOOL = 1, VEC_V_INT = 2, VEC_V_STR = 3, VEC_V_RECORDING = 4 };

typedef struct vec_value {
    int type;                   /* VEC_V_* */
    bool b;
    int64_t i;
    vec_str s;                  /* the string; a recording's file_name */
    vec_str s2;                 /* a recording's record_domain */
} vec_value;

/* pushes.json: one check per expected field. */
enum { VEC_SCOPE_CDR = 1, VEC_SCOPE_CDR_EXTRA = 2, VEC_SCOPE_INFO = 3, VEC_SCOPE_SMS = 4 };

typedef struct vec_push_check {
    int scope;                  /* VEC_SCOPE_* */
    size_t index;               /* the CDR record */
    const char *field;          /* the vector's field name (the JSON name for CDR_EXTRA) */
    vec_value want;
} vec_push_check;

typedef struct vec_push_entry {
    vec_str number;
    uint32_t status;
    bool has_cause;
    uint32_t cause;
} vec_push_entry;

typedef struct vec_push_case {
    const char *id;
    vec_str body;
    privnum_result error;       /* PRIVNUM_RESULT_OK: the fields below are expected */
    const char *message_contains; /* NULL: no requirement */
    uint32_t kind;              /* PRIVNUM_PUSH_KIND_* */
    bool has_count;
    size_t count;               /* cdrs: the number of records */
    size_t n_records;           /* cdrs: records listed (at most the count) */
    vec_str event;              /* call: the event name */
    bool has_needs_reply, needs_reply; /* call */
    size_t first_check, n_checks;
    size_t first_entry, n_entries; /* number_status: every entry */
} vec_push_case;

/* inbox.json: cases own ranges of steps; steps own ranges of headers and duplicate flags. */
typedef struct vec_inbox_step {
    vec_str body;
    size_t first_header, n_headers;
    int64_t now;
    bool commit;
    privnum_result error;
    const char *message_contains;
    size_t first_dup, n_dups;
    bool is_duplicate, verified;
} vec_inbox_step;

typedef struct vec_inbox_case {
    const char *id;
    bool has_max_body_bytes;
    size_t max_body_bytes;
    bool has_dedup_window_secs;
    uint32_t dedup_window_secs;
    bool has_dedup_capacity;
    size_t dedup_capacity;
    uint32_t max_age_secs;      /* the file's default is 600 */
    vec_str app_key, app_secret; /* ptr NULL: an inbox without a secret */
    size_t first_step, n_steps;
} vec_inbox_case;

/* codes.json */
enum {
    VEC_TABLE_FAIL_REASON = 1,
    VEC_TABLE_Q850 = 2,
    VEC_TABLE_RESULT_CODE = 3,
    VEC_TABLE_NUMBER_STATUS = 4,
    VEC_TABLE_UNAVAILABLE_CAUSE = 5,
    VEC_TABLE_SEND_RESULT = 6
};

typedef struct vec_code_case {
    const char *id;
    int table;                  /* VEC_TABLE_* */
    uint32_t code;              /* fail_reason, q850, send_result */
    vec_str wire;               /* result_code, number_status, unavailable_cause */
    int32_t http_status;        /* -1: none */
    bool known, normal, success, retryable;
    const char *category;       /* fail_reason */
    uint32_t category_code;     /* PRIVNUM_FAIL_CATEGORY_* */
    const char *hung_up_by;     /* fail_reason; NULL: nobody */
    uint32_t party;             /* PRIVNUM_PARTY_* */
    const char *action;         /* result_code */
    uint32_t action_code;       /* PRIVNUM_ACTION_* */
    bool has_max_retries;
    uint32_t max_retries;
    const char *name;           /* number_status / unavailable_cause; NULL: not a number */
    bool binding_usable, new_bindings_allowed;
} vec_code_case;

/* replies.json: absent inputs are { NULL, 0 } (the setter is not called). */
enum {
    VEC_REPLY_CONNECT = 1,
    VEC_REPLY_CLOSE = 2,
    VEC_REPLY_SMS_ROUTE = 3,
    VEC_REPLY_SMS_DISCARD = 4,
    VEC_REPLY_CALL_CONTROL = 5
};

typedef struct vec_reply_case {
    const char *id;
    int kind;                   /* VEC_REPLY_* */
    vec_str callee, display;    /* numbers as typed (parse with default country 86) */
    bool has_max_duration;
    uint32_t max_duration;
    vec_str wait_voice;
    bool has_record, record;
    vec_str record_hint_tone, last_min_voice, user_data;
    uint32_t form;              /* PRIVNUM_INFO_FORM_*, 0: not given */
    vec_str close_hint_tone;
    vec_str calling, called;
    uint32_t operate;           /* PRIVNUM_CONTROL_OPERATE_* */
    vec_str message, control_msg, subs_id, call_no_play_code;
    size_t first_extra, n_extra;
    privnum_result error;
    vec_str json;
} vec_reply_case;

/* call_control.json: cases own ranges of steps; steps own ranges of params.
 * Every case runs against one parameter verifier (call-control profile, its
 * secret, vec_control_config). */
typedef struct vec_control_step {
    size_t first_param, n_params;
    int64_t now;
    privnum_result error;       /* PRIVNUM_RESULT_OK: the fields below are expected */
    vec_str call_no, secret_no;
    vec_str extension, call_time, call_id, record_type; /* ptr NULL: absent */
    uint32_t record_type_kind;  /* PRIVNUM_RECORD_TYPE_*, 0: absent */
    bool has_call_time_utc8;
    int64_t call_time_utc8;
    vec_str caller_e164, x_e164; /* ptr NULL: not a number */
} vec_control_step;

typedef struct vec_control_case {
    const char *id;
    vec_str secret;
    size_t first_step, n_steps;
} vec_control_case;

/* sms_segments.json: the text is `text`, or the concatenation of the parts. */
typedef struct vec_segment_part {
    vec_str unit;
    size_t count;
} vec_segment_part;

typedef struct vec_segment_case {
    const char *id;
    vec_str text;               /* ptr NULL: built from the parts */
    size_t first_part, n_parts;
    vec_str ax_b;               /* ptr NULL: not an AX count */
    uint32_t encoding;          /* PRIVNUM_SMS_ENCODING_* */
    const char *encoding_name;
    uint32_t segments, units, per_segment, remaining;
} vec_segment_case;

/* ax_suffix.json. */
typedef struct vec_ax_suffix_case {
    const char *id;
    vec_str text;
    uint32_t result;            /* PRIVNUM_AX_SUFFIX_* */
    vec_str receiver_e164;      /* ptr NULL: absent */
    vec_str before;             /* the text before the @ (ptr NULL: absent) */
    vec_str suffix;             /* ptr NULL: absent */
} vec_ax_suffix_case;

#define VEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

"""


# ax_suffix.json: core's callback::segments::ax_suffix.
AX_RESULTS = {
    "valid": "PRIVNUM_AX_SUFFIX_VALID",
    "missing": "PRIVNUM_AX_SUFFIX_MISSING",
    "garbled": "PRIVNUM_AX_SUFFIX_GARBLED",
}


def gen_ax_suffix():
    rows = []
    for case in load("ax_suffix.json"):
        where = "ax_suffix.json " + case["id"]
        check_keys(where, case, {"id", "text", "expect"})
        e = case["expect"]
        check_keys(where + ".expect", e, {"result"}, {"receiver_e164", "text", "suffix"})
        fields = [
            c_string(case["id"]),
            vstr(case["text"]),
            lookup(AX_RESULTS, e["result"], "result"),
            vstr(e.get("receiver_e164")),
            vstr(e.get("text")),
            vstr(e.get("suffix")),
        ]
        rows.append("    { " + ", ".join(fields) + " },")
    return ["static const vec_ax_suffix_case vec_ax_suffix_cases[] = {"] + rows + ["};", ""]


def generate_callbacks():
    blobs = Blobs()
    body = []
    body += gen_pushes(blobs)
    body += gen_inbox(blobs)
    body += gen_codes()
    body += gen_replies(blobs)
    body += gen_segments()
    body += gen_call_control()
    body += gen_ax_suffix()
    lines = [CALLBACKS_PRELUDE.rstrip("\n"), ""]
    if blobs.lines:
        lines += ["/* Texts longer than a portable string literal. */"] + blobs.lines
    lines += body
    lines += ["#endif /* PRIVNUM_CALLBACKS_GEN_H */", ""]
    return "\n".join(lines)


# --- engine: JSON commands against privnum_engine_execute -------------------
#
# The C runner cannot compare JSON values, so each expected value becomes
# "fragments": the compact JSON rendering ("key":value, as serde_json writes
# it, without spaces) of every scalar leaf, which must occur in the engine's
# compact answer. Objects also give a `"key":{` fragment (the key holds an
# object), arrays of scalars are one fragment as a whole. When the ok value
# is an array of objects, its length is checked and each element's
# fragments must occur within that element of the answer (arrays nested
# deeper are matched on the whole answer, without their length). An error
# becomes `{"error":{` and its listed keys as fragments (a null platform_code
# or field gives `"field":null`).

ENGINE_ERROR_KEYS = {"kind", "code", "platform_code", "field", "message"}

ENGINE_PRELUDE = """\
/*
 * Generated by tests/tools/gen_c_vectors.py from tests/vectors/engine.json.
 * Do not edit: change the JSON and run `python3 tests/tools/gen_c_vectors.py`.
 * Included only by tests/c/test_engine.c.
 */

#ifndef PRIVNUM_ENGINE_GEN_H
#define PRIVNUM_ENGINE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privnum.h"

/* UTF-8 text with its length in bytes. */
typedef struct vec_str {
    const char *ptr;
    size_t len;
} vec_str;

/* Compact JSON text that must occur in the answer: anywhere (element -1) or
 * within element `element` of the top-level ok array. */
typedef struct vec_engine_fragment {
    vec_str text;
    int32_t element;
} vec_engine_fragment;

typedef struct vec_engine_step {
    vec_str cmd;                /* the command, compact JSON */
    const char *error_kind;     /* NULL: an {"ok":...} answer is expected */
    const char *platform_code;  /* error: the platform resultcode; NULL: not given or null */
    const char *field;          /* error: the request field; NULL: not given or null */
    int32_t ok_len;             /* >= 0: the ok value is an array of exactly this many elements */
    size_t first_fragment, n_fragments;
} vec_engine_step;

/* One engine per case (privnum_engine_new(config)), steps in order. */
typedef struct vec_engine_case {
    const char *id;
    vec_str config;             /* compact JSON */
    size_t first_step, n_steps;
} vec_engine_case;

#define VEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))
"""


def compact(where, v):
    """serde_json's compact rendering (no spaces, UTF-8 as is)."""

    def no_floats(x):
        if isinstance(x, float):
            fail(where, f"floats are not supported in engine vectors: {x!r}")
        if isinstance(x, list):
            for y in x:
                no_floats(y)
        if isinstance(x, dict):
            for y in x.values():
                no_floats(y)

    no_floats(v)
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def is_scalar(v):
    return v is None or isinstance(v, (bool, int, str))


def keyed_fragments(where, obj, element, out):
    """Fragments of the members of an expected object."""
    for key, v in obj.items():
        prefix = compact(where, key) + ":"
        kwhere = f"{where}.{key}"
        if is_scalar(v):
            out.append((prefix + compact(kwhere, v), element))
        elif isinstance(v, dict):
            out.append((prefix + "{", element))
            keyed_fragments(kwhere, v, element, out)
        elif isinstance(v, list) and all(is_scalar(x) for x in v):
            out.append((prefix + compact(kwhere, v), element))
        elif isinstance(v, list) and all(isinstance(x, dict) for x in v):
            out.append((prefix + "[", element))
            for x in v:
                keyed_fragments(kwhere, x, element, out)
        else:
            fail(kwhere, f"cannot express {v!r} as fragments (teach gen_c_vectors.py)")


def ok_fragments(where, e):
    """(fragments, ok_len) for an expected ok value."""
    out = []
    if is_scalar(e) or (isinstance(e, list) and all(is_scalar(x) for x in e)):
        return [('{"ok":' + compact(where, e) + "}", -1)], -1
    if isinstance(e, dict):
        out.append(('{"ok":{', -1))
        keyed_fragments(where, e, -1, out)
        return out, -1
    if isinstance(e, list) and all(isinstance(x, dict) for x in e):
        out.append(('{"ok":[', -1))
        for i, x in enumerate(e):
            out.append(("{", i))
            keyed_fragments(f"{where}[{i}]", x, i, out)
        return out, len(e)
    fail(where, f"cannot express {e!r} as fragments (teach gen_c_vectors.py)")


def gen_engine(blobs):
    fragments, steps, cases = [], [], []
    for case in load("engine.json"):
        where = "engine.json " + case["id"]
        check_keys(where, case, {"id", "config", "steps"})
        if not isinstance(case["config"], dict):
            fail(where, "config must be an object")
        if not isinstance(case["steps"], list) or not case["steps"]:
            fail(where, "steps must be a non-empty list")
        first_step = len(steps)
        for i, step in enumerate(case["steps"]):
            swhere = f"{where}#{i}"
            check_keys(swhere, step, {"cmd"}, {"expect", "error"})
            if "expect" in step and "error" in step:
                fail(swhere, "has both 'expect' and 'error'")
            if not isinstance(step["cmd"], dict):
                fail(swhere, "cmd must be an object")
            kind = platform_code = field = None
            ok_len = -1
            if "error" in step:
                err = step["error"]
                check_keys(swhere + ".error", err, {"kind"}, ENGINE_ERROR_KEYS - {"kind"})
                kind = err["kind"]
                if not (isinstance(kind, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", kind)):
                    fail(swhere, f"error.kind {kind!r} is not an ErrorKind name")
                for key in ("platform_code", "field"):
                    if err.get(key) is not None and not isinstance(err[key], str):
                        fail(swhere, f"error.{key} must be a string or null")
                platform_code, field = err.get("platform_code"), err.get("field")
                frags = [('{"error":{', -1)]
                keyed_fragments(swhere + ".error", err, -1, frags)
            elif "expect" in step:
                frags, ok_len = ok_fragments(swhere + ".expect", step["expect"])
            else:
                frags = [('{"ok":', -1)]
            first = len(fragments)
            for text, element in frags:
                fragments.append(
                    "    { %s, %d }," % (blobs.raw(text.encode("utf-8")), element)
                )
            fields = [
                blobs.raw(compact(swhere, step["cmd"]).encode("utf-8")),
                c_cstr(kind),
                c_cstr(platform_code),
                c_cstr(field),
                str(ok_len),
                c_size(first),
                c_size(len(frags)),
            ]
            steps.append("    { " + ", ".join(fields) + " },")
        fields = [
            c_string(case["id"]),
            blobs.raw(compact(where, case["config"]).encode("utf-8")),
            c_size(first_step),
            c_size(len(steps) - first_step),
        ]
        cases.append("    { " + ", ".join(fields) + " },")
    return (
        ["static const vec_engine_fragment vec_engine_fragments[] = {"]
        + fragments
        + ["};", "", "static const vec_engine_step vec_engine_steps[] = {"]
        + steps
        + ["};", "", "static const vec_engine_case vec_engine_cases[] = {"]
        + cases
        + ["};", ""]
    )


def generate_engine():
    blobs = Blobs()
    body = gen_engine(blobs)
    lines = [ENGINE_PRELUDE.rstrip("\n"), ""]
    if blobs.lines:
        lines += ["/* Texts longer than a portable string literal. */"] + blobs.lines
    lines += body
    lines += ["#endif /* PRIVNUM_ENGINE_GEN_H */", ""]
    return "\n".join(lines)


# --- client: operations by name (privnum_op_*) -----------------------------
#
# Every tests/vectors/client*.json file. A request case is built, signed with
# fixed nonce and time and compared part by part; a response case is parsed
# and its output compared as text: the expected value rendered compactly
# with sorted keys, which is how serde_json (without preserve_order) writes
# the output object.

CLIENT_PRELUDE = """\
/*
 * Generated by tests/tools/gen_c_vectors.py from tests/vectors/client*.json.
 * Do not edit: change the JSON and run `python3 tests/tools/gen_c_vectors.py`.
 * Included only by tests/c/test_client.c.
 */

#ifndef PRIVNUM_CLIENT_GEN_H
#define PRIVNUM_CLIENT_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privnum.h"

/* UTF-8 text with its length in bytes; { NULL, 0 } is absent. */
typedef struct vec_str {
    const char *ptr;
    size_t len;
} vec_str;

typedef struct vec_client_header {
    vec_str name, value;
} vec_client_header;

/* A substring the error message must (or must not) contain. */
typedef struct vec_client_needle {
    vec_str text;
    bool present;
} vec_client_needle;

typedef struct vec_client_case {
    const char *id;
    const char *file;
    bool is_request;
    vec_str op;                 /* the operation's name */
    vec_str input;              /* its arguments, compact JSON */
    /* request cases: the signing */
    vec_str app_key, app_secret, nonce, created;
    /* response cases: the answer */
    uint16_t status;
    vec_str location;           /* absent: no Location header */
    vec_str response_body;
    /* success */
    vec_str method, path_and_query, body, name;  /* body absent: none */
    bool idempotent;
    size_t first_header, n_headers;
    vec_str output;             /* response success: compact JSON, sorted keys */
    /* failure: error_kind is the PRIVNUM_RESULT_ name without its prefix */
    const char *error_kind;     /* NULL: success expected */
    const char *platform_code;  /* NULL: none */
    const char *field;          /* NULL: none */
    int32_t http_status;        /* -1: none */
    size_t first_needle, n_needles;
} vec_client_case;

#define VEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))
"""

CLIENT_REQUEST_EXPECT = {"method", "path_and_query", "headers", "body", "name", "idempotent"}


def gen_client(blobs):
    headers, needles, cases = [], [], []
    files = sorted(p.name for p in VECTORS.glob("client*.json"))
    if "client.json" not in files:
        fail("client.json", "missing")
    for file in files:
        doc = json.loads((VECTORS / file).read_text(encoding="utf-8"))
        signing = doc.get("signing")
        for case in load(file):
            where = f"{file} {case['id']}"
            is_request = case.get("type") == "request"
            if case.get("type") not in ("request", "response"):
                fail(where, f"unknown type {case.get('type')!r}")
            common = {"id", "type", "op", "input"}
            if is_request:
                check_keys(where, case, common, {"expect", "error", "platform_code", "field",
                                                  "signing", "message_contains",
                                                  "message_not_contains"})
            else:
                check_keys(where, case, common | {"status", "body"},
                           {"expect", "error", "platform_code", "field", "http_status",
                            "location", "message_contains", "message_not_contains"})
            if ("expect" in case) == ("error" in case):
                fail(where, "needs exactly one of 'expect' and 'error'")
            sign = case.get("signing", signing)
            check_keys(where + ".signing", sign, {"app_key", "app_secret", "nonce", "created"})
            first_header = len(headers)
            method = path = body = name = output = None
            idempotent = False
            if "expect" in case and is_request:
                e = case["expect"]
                check_keys(where + ".expect", e, CLIENT_REQUEST_EXPECT)
                method, path, body, name = e["method"], e["path_and_query"], e["body"], e["name"]
                idempotent = e["idempotent"]
                for pair in e["headers"]:
                    if not (isinstance(pair, list) and len(pair) == 2):
                        fail(where, "headers are [name, value] pairs")
                    headers.append("    { %s, %s }," % (blobs.vstr(pair[0]), blobs.vstr(pair[1])))
            elif "expect" in case:
                output = json.dumps(case["expect"], ensure_ascii=False, separators=(",", ":"),
                                    sort_keys=True, allow_nan=False)
            kind = case.get("error")
            if kind is not None and kind not in RESULTS:
                fail(where, f"error {kind!r} is not a PRIVNUM_RESULT_ name")
            first_needle = len(needles)
            for key, present in (("message_contains", True), ("message_not_contains", False)):
                for text in case.get(key, []):
                    needles.append("    { %s, %s }," % (blobs.vstr(text), c_bool(present)))
            http_status = case.get("http_status")
            fields = [
                c_string(case["id"]),
                c_string(file),
                c_bool(is_request),
                blobs.vstr(case["op"]),
                blobs.raw(compact(where, case["input"]).encode("utf-8")),
                blobs.vstr(sign["app_key"]),
                blobs.vstr(sign["app_secret"]),
                blobs.vstr(sign["nonce"]),
                blobs.vstr(sign["created"]),
                c_u(case.get("status", 0), 16),
                blobs.vstr(case.get("location")),
                blobs.vstr(case.get("body") if not is_request else None),
                blobs.vstr(method),
                blobs.vstr(path),
                blobs.vstr(body),
                blobs.vstr(name),
                c_bool(idempotent),
                c_size(first_header),
                c_size(len(headers) - first_header),
                blobs.vstr(output),
                c_cstr(kind),
                c_cstr(case.get("platform_code")),
                c_cstr(case.get("field")),
                str(-1 if http_status is None else c_u(http_status, 16).replace("UINT16_C", "INT32_C")),
                c_size(first_needle),
                c_size(len(needles) - first_needle),
            ]
            cases.append("    { " + ", ".join(fields) + " },")
    return (
        ["static const vec_client_header vec_client_headers[] = {"]
        + (headers or ["    { { NULL, 0 }, { NULL, 0 } },"])
        + ["};", "", "static const vec_client_needle vec_client_needles[] = {"]
        + (needles or ["    { { NULL, 0 }, false },"])
        + ["};", "", "static const vec_client_case vec_client_cases[] = {"]
        + cases
        + ["};", ""]
    )


def generate_client():
    blobs = Blobs()
    body = gen_client(blobs)
    lines = [CLIENT_PRELUDE.rstrip("\n"), ""]
    if blobs.lines:
        lines += ["/* Texts longer than a portable string literal. */"] + blobs.lines
    lines += body
    lines += ["#endif /* PRIVNUM_CLIENT_GEN_H */", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the committed file differs from the generated one",
    )
    args = parser.parse_args()
    try:
        outputs = [
            (OUTPUT, generate()),
            (CALLBACKS_OUTPUT, generate_callbacks()),
            (ENGINE_OUTPUT, generate_engine()),
            (CLIENT_OUTPUT, generate_client()),
        ]
    except (VectorError, KeyError, json.JSONDecodeError) as e:
        print(f"gen_c_vectors.py: {e}", file=sys.stderr)
        return 2
    status = 0
    for path, text in outputs:
        rel = path.relative_to(ROOT)
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                print(
                    f"{rel} is out of date with tests/vectors/*.json; "
                    "run: python3 tests/tools/gen_c_vectors.py",
                    file=sys.stderr,
                )
                status = 1
            else:
                print(f"{rel} is up to date")
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"wrote {rel}")
    return status


if __name__ == "__main__":
    sys.exit(main())

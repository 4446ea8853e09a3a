#!/usr/bin/env python3
"""Turn tests/vectors/*.json into tests/c/vectors_gen.h for the C tests.

C cannot read JSON, so every case becomes an element of a static array of
structs; error names become PRIVNUM_RESULT_<NAME> constants. The output is
deterministic (file order, no timestamps), and committed.

    python3 tests/tools/gen_c_vectors.py          # (re)write tests/c/vectors_gen.h
    python3 tests/tools/gen_c_vectors.py --check  # exit 1 if the committed file differs

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
    out = []
    for b in s.encode("utf-8"):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the committed file differs from the generated one",
    )
    args = parser.parse_args()
    try:
        text = generate()
    except (VectorError, KeyError, json.JSONDecodeError) as e:
        print(f"gen_c_vectors.py: {e}", file=sys.stderr)
        return 2
    rel = OUTPUT.relative_to(ROOT)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != text:
            print(
                f"{rel} is out of date with tests/vectors/*.json; "
                "run: python3 tests/tools/gen_c_vectors.py",
                file=sys.stderr,
            )
            return 1
        print(f"{rel} is up to date")
        return 0
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

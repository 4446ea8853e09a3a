//! Block-mode replies (`privnum_reply_*`): the validated JSON body of the
//! HTTP response that decides what happens to a live call or SMS.

use std::ffi::c_char;
use std::ptr::NonNull;

use privnum::callback::reply::{
    CallControlReply, CloseReply, ConnectReply, ControlOperate, InfoForm,
};
use privnum::{Error, ErrorKind, Number, Result};

use crate::boundary::{OutBuf, call, guard, null_error, pairs_in, static_cstr, str_in, unknown};
use crate::number::privnum_number;
use crate::params::privnum_param;
use crate::push::privnum_str;
use crate::result::privnum_result;

/// Info form: `"connectInfo":{...}` (the interface table's form; the default).
pub const PRIVNUM_INFO_FORM_OBJECT: u32 = 1;
/// Info form: `"connectInfo":[{...}]` (the vendor demo code's form).
pub const PRIVNUM_INFO_FORM_ARRAY: u32 = 2;

/// Call control: `CONTINUE`, connect the other side.
pub const PRIVNUM_CONTROL_OPERATE_CONTINUE: u32 = 1;
/// Call control: `REJECT`, refuse the call.
pub const PRIVNUM_CONTROL_OPERATE_REJECT: u32 = 2;
/// Call control: `IVR`, play the prompt `call_no_play_code` to the caller.
pub const PRIVNUM_CONTROL_OPERATE_IVR: u32 = 3;

/// The largest `max_duration_minutes` the platform accepts (24 hours).
pub const PRIVNUM_MAX_DURATION_MINUTES: u32 = 1440;

/// Check a pointer to an input struct: non-NULL and aligned.
fn struct_in<T>(p: *const T, what: &str) -> Result<NonNull<T>> {
    let p = NonNull::new(p.cast_mut()).ok_or_else(|| null_error(what))?;
    if !p.is_aligned() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{what} is not suitably aligned"),
        ));
    }
    Ok(p)
}

/// Read a C `bool` as a byte, so that any non-zero byte (from `memset`, say)
/// is true instead of an invalid Rust `bool`.
///
/// # Safety
///
/// `p` must be valid for reading one byte.
unsafe fn bool_in(p: *const bool) -> bool {
    // SAFETY: forwarded from this function's contract.
    unsafe { p.cast::<u8>().read() != 0 }
}

fn form_arg(code: u32) -> Result<InfoForm> {
    match code {
        0 => Ok(InfoForm::default()),
        _ => InfoForm::from_code(code)
            .ok_or_else(|| unknown("info form (PRIVNUM_INFO_FORM_*)", code)),
    }
}

fn number_arg(n: privnum_number, what: &str) -> Result<Number> {
    Number::from_bits(n.bits).map_err(|e| Error::new(e.kind(), format!("{what}: {}", e.message())))
}

/// Write a finished body.
fn put(out: OutBuf<'_>, json: Result<String>) -> Result<()> {
    out.put(json?.as_bytes())
}

// ------------------------------------------------------------------ connect

/// Settings of an X-mode `connect` reply (`privnum_reply_connect`).
///
/// Zero-initialise it (`privnum_connect_options o = {0};`), then set
/// `callee` and what you need. Text fields are `privnum_str` inputs: `{ NULL,
/// 0 }` (and, for these optional fields, the empty string) leaves the field
/// out of the body.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_connect_options {
    /// `calleeNum`: the real callee (required; not a service number).
    pub callee: privnum_number,
    /// Whether `display` is set.
    pub has_display: bool,
    /// `displayCalleeNum`: the number the callee sees. Carrier rules require
    /// the privacy number X of this call; leave it unset to let the platform
    /// show X. Must not be the callee itself nor a service number.
    pub display: privnum_number,
    /// Whether `max_duration_minutes` is set.
    pub has_max_duration: bool,
    /// `maxDuration`: 0 (unlimited) to `PRIVNUM_MAX_DURATION_MINUTES`.
    pub max_duration_minutes: u32,
    /// `waitVoice`: the audio file the caller hears while the callee rings
    /// (ASCII letters, digits, `_ - . @`; 1-128 characters).
    pub wait_voice: privnum_str,
    /// `recordFlag`: record the call (written as `"true"` / `"false"`).
    pub record: bool,
    /// `recordHintTone`: the audio file announcing the recording (needs `record`).
    pub record_hint_tone: privnum_str,
    /// `lastMinVoice`: the audio file played one minute before the end
    /// (needs a `max_duration_minutes` above 0).
    pub last_min_voice: privnum_str,
    /// `userData`: printable ASCII without `{`, `}` and `^`, 1-256 characters
    /// (Base64-encode other text); echoed in later events and the CDR.
    pub user_data: privnum_str,
    /// How `connectInfo` is wrapped: a `PRIVNUM_INFO_FORM_*` value, or 0 for
    /// the default, `PRIVNUM_INFO_FORM_OBJECT`.
    pub form: u32,
}

/// Build the reply body to an X-mode `callin` push that bridges the caller
/// to `opts->callee`, and write it (compact JSON, UTF-8, not
/// NUL-terminated) to `buf`, with its length in `*out_n`:
///
/// `{"operation":"connect","connectInfo":{"calleeNum":...,"displayCalleeNum":...,"maxDuration":...,"waitVoice":...,"recordFlag":"false","recordHintTone":...,"lastMinVoice":...,"userData":...}}`
///
/// Every value is checked first, since the platform drops the caller's call
/// when it refuses a reply: a value it would refuse gives
/// `PRIVNUM_RESULT_REPLY_INVALID`, a string of the wrong length
/// `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS` (the last error names the JSON field
/// and the rule); invalid number bits or an unknown `form` give
/// `PRIVNUM_RESULT_INVALID_ARGUMENT`. Nothing is written then. 2048 bytes
/// always suffice.
///
/// # Safety
///
/// `opts` must point to an initialised `privnum_connect_options` whose texts
/// follow the input text rules; `buf` must be NULL (only with
/// `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
/// valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_reply_connect(
    opts: *const privnum_connect_options,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let p = struct_in(opts, "opts")?.as_ptr();
        // SAFETY: `p` is non-NULL, aligned and initialised (the caller's
        // guarantee); every field is read through a raw place, the bools as
        // bytes, and the texts follow the input text rules.
        let reply = unsafe {
            let mut r =
                ConnectReply::new(number_arg((&raw const (*p).callee).read(), "opts->callee")?);
            if bool_in(&raw const (*p).has_display) {
                r = r.display(number_arg(
                    (&raw const (*p).display).read(),
                    "opts->display",
                )?);
            }
            if bool_in(&raw const (*p).has_max_duration) {
                r = r.max_duration_minutes((&raw const (*p).max_duration_minutes).read());
            }
            if let Some(v) = (&raw const (*p).wait_voice)
                .read()
                .input("opts->wait_voice")?
            {
                r = r.wait_voice(v);
            }
            r = r.record(bool_in(&raw const (*p).record));
            if let Some(v) = (&raw const (*p).record_hint_tone)
                .read()
                .input("opts->record_hint_tone")?
            {
                r = r.record_hint_tone(v);
            }
            if let Some(v) = (&raw const (*p).last_min_voice)
                .read()
                .input("opts->last_min_voice")?
            {
                r = r.last_min_voice(v);
            }
            if let Some(v) = (&raw const (*p).user_data)
                .read()
                .input("opts->user_data")?
            {
                r = r.user_data(v);
            }
            r.form(form_arg((&raw const (*p).form).read())?)
        };
        put(out, reply.to_json())
    })
}

// -------------------------------------------------------------------- close

/// Settings of an X-mode `close` reply (`privnum_reply_close`); zero-initialise
/// it and set what you need.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_close_options {
    /// `closeHintTone`: the audio file the caller hears before the call ends
    /// (rules as `privnum_connect_options.wait_voice`).
    pub close_hint_tone: privnum_str,
    /// `userData` (rules as `privnum_connect_options.user_data`).
    pub user_data: privnum_str,
    /// How `closeInfo` is wrapped: a `PRIVNUM_INFO_FORM_*` value, or 0 for
    /// the default, `PRIVNUM_INFO_FORM_OBJECT`.
    pub form: u32,
}

/// Build the reply body to an X-mode `callin` push that ends the call and
/// write it to `buf` like `privnum_reply_connect`:
/// `{"operation":"close","closeInfo":{"closeHintTone":...,"userData":...}}`
/// (`closeInfo` is always written, `{}` when empty). `opts` may be NULL for
/// a plain close. Fails as `privnum_reply_connect`. 1024 bytes always
/// suffice.
///
/// # Safety
///
/// `opts` must be NULL or point to an initialised `privnum_close_options`
/// whose texts follow the input text rules; `buf` and `out_n` as for
/// `privnum_reply_connect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_reply_close(
    opts: *const privnum_close_options,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let mut r = CloseReply::new();
        if !opts.is_null() {
            let p = struct_in(opts, "opts")?.as_ptr();
            // SAFETY: `p` is non-NULL, aligned and initialised (the caller's
            // guarantee); the texts follow the input text rules.
            r = unsafe {
                if let Some(v) = (&raw const (*p).close_hint_tone)
                    .read()
                    .input("opts->close_hint_tone")?
                {
                    r = r.close_hint_tone(v);
                }
                if let Some(v) = (&raw const (*p).user_data)
                    .read()
                    .input("opts->user_data")?
                {
                    r = r.user_data(v);
                }
                r.form(form_arg((&raw const (*p).form).read())?)
            };
        }
        put(out, r.to_json())
    })
}

// ---------------------------------------------------------------------- SMS

/// Build the reply body to an SMS Block push that forwards the message, and
/// write it to `buf` like `privnum_reply_connect`:
/// `{"actions":[{"operation":"vNumberRoute","message":{"calling":...,"called":...},"userData":...}]}`.
///
/// `calling` must be the push's `calling`, unchanged (the platform requires
/// it); `called` is the real receiver (not a service number). `user_data`
/// (rules as `privnum_connect_options.user_data`; AX mode) is left out when
/// empty. Fails as `privnum_reply_connect`. 1024 bytes always suffice.
///
/// # Safety
///
/// `user_data` must be NULL (only with `user_data_len == 0`) or point to
/// `user_data_len` readable bytes; `buf` and `out_n` as for
/// `privnum_reply_connect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_reply_sms_route(
    calling: privnum_number,
    called: privnum_number,
    user_data: *const u8,
    user_data_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (user_data, out) = unsafe {
            (
                str_in(user_data, user_data_len, "user_data")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let r = privnum::callback::reply::SmsReply::route(
            number_arg(calling, "calling")?,
            number_arg(called, "called")?,
        )
        .user_data(user_data);
        put(out, r.to_json())
    })
}

/// Build the reply body to an SMS Block push that drops the message, and
/// write it to `buf` like `privnum_reply_connect`:
/// `{"actions":[{"operation":"DiscardMessage","userData":...}]}` (`userData`
/// left out when empty). Fails as `privnum_reply_connect`. 1024 bytes always
/// suffice.
///
/// # Safety
///
/// As for `privnum_reply_sms_route`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_reply_sms_discard(
    user_data: *const u8,
    user_data_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (user_data, out) = unsafe {
            (
                str_in(user_data, user_data_len, "user_data")?,
                OutBuf::new(buf, buf_len, out_n)?,
            )
        };
        let r = privnum::callback::reply::SmsReply::discard().user_data(user_data);
        put(out, r.to_json())
    })
}

// ------------------------------------------------------------- call control

/// Settings of an X-mode call-control answer (`privnum_reply_call_control`).
/// Zero-initialise it, then set `operate` and what you need.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_call_control_options {
    /// `controlOperate`: a `PRIVNUM_CONTROL_OPERATE_*` value (required).
    pub operate: u32,
    /// The top-level `message`, always written: `{ NULL, 0 }` for `"OK"`;
    /// any other value (even empty) is written as given.
    pub message: privnum_str,
    /// `controlMsg`, e.g. `NO_SUBS_EXIST`; left out when unset or empty.
    pub control_msg: privnum_str,
    /// `subsId`, always written: `{ NULL, 0 }` for `"0"` (no binding);
    /// otherwise 1-64 ASCII digits (an empty value is
    /// `PRIVNUM_RESULT_REPLY_INVALID`).
    pub subs_id: privnum_str,
    /// `callNoPlayCode`: the prompt played to the caller (required with
    /// `PRIVNUM_CONTROL_OPERATE_IVR`); left out when unset or empty.
    pub call_no_play_code: privnum_str,
    /// Extra `model` string fields (UNCONFIRMED by the vendor documentation),
    /// written after the known ones in this order; an empty value leaves its
    /// field out. Names: 1-64 ASCII letters, digits and `_`, no repeats, none
    /// of the fields above. NULL only with `n_extra == 0`.
    pub extra: *const privnum_param,
    /// The number of elements of `extra`.
    pub n_extra: usize,
}

/// Build the answer to an X-mode call-control query and write it to `buf`
/// like `privnum_reply_connect`:
/// `{"code":"OK","message":"OK","model":{"controlOperate":"CONTINUE","controlMsg":...,"subsId":"0","callNoPlayCode":...,<extras>}}`.
///
/// Free text (`message`, `control_msg`, `call_no_play_code`, extra values)
/// is escaped, not restricted, so no fixed buffer size always suffices: use
/// the size query. Fails as `privnum_reply_connect`; an unknown `operate`
/// gives `PRIVNUM_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `opts` must point to an initialised `privnum_call_control_options` whose
/// texts and `extra` array follow the input text rules; `buf` and `out_n`
/// as for `privnum_reply_connect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_reply_call_control(
    opts: *const privnum_call_control_options,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `buf`/`buf_len` and `out_n` (see above).
        let out = unsafe { OutBuf::new(buf, buf_len, out_n) }?;
        let p = struct_in(opts, "opts")?.as_ptr();
        // SAFETY: `p` is non-NULL, aligned and initialised (the caller's
        // guarantee); the texts and `extra` follow the input text rules.
        let reply = unsafe {
            let code = (&raw const (*p).operate).read();
            let operate = ControlOperate::from_code(code)
                .ok_or_else(|| unknown("control operation (PRIVNUM_CONTROL_OPERATE_*)", code))?;
            let mut r = CallControlReply::new(operate);
            if let Some(v) = (&raw const (*p).message).read().input("opts->message")? {
                r = r.message(v);
            }
            if let Some(v) = (&raw const (*p).control_msg)
                .read()
                .input("opts->control_msg")?
            {
                r = r.control_msg(v);
            }
            if let Some(v) = (&raw const (*p).subs_id).read().input("opts->subs_id")? {
                r = r.subs_id(v);
            }
            if let Some(v) = (&raw const (*p).call_no_play_code)
                .read()
                .input("opts->call_no_play_code")?
            {
                r = r.call_no_play_code(v);
            }
            let extras = pairs_in(
                (&raw const (*p).extra).read(),
                (&raw const (*p).n_extra).read(),
                "opts->extra",
            )?;
            for (name, value) in extras {
                r = r.extra(name, value);
            }
            r
        };
        put(out, reply.to_json())
    })
}

/// The static, NUL-terminated name of a `PRIVNUM_INFO_FORM_*` value
/// (`"object"`, `"array"`), or NULL for an unknown value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_info_form_name(form: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        InfoForm::from_code(form).map_or(std::ptr::null(), |f| static_cstr(f.name()))
    })
}

/// The static, NUL-terminated wire value of a `PRIVNUM_CONTROL_OPERATE_*`
/// value (`"CONTINUE"`, `"REJECT"`, `"IVR"`), or NULL for an unknown value.
/// Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_control_operate_name(operate: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        ControlOperate::from_code(operate).map_or(std::ptr::null(), |o| static_cstr(o.name()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{check_family, defines, screaming};

    #[test]
    fn info_forms_match_core() {
        let c = [
            ("OBJECT", PRIVNUM_INFO_FORM_OBJECT),
            ("ARRAY", PRIVNUM_INFO_FORM_ARRAY),
        ];
        let core = InfoForm::ALL.iter().map(|&f| {
            assert_eq!(screaming(&format!("{f:?}")), f.name().to_ascii_uppercase());
            (screaming(&format!("{f:?}")), f as u32)
        });
        check_family("PRIVNUM_INFO_FORM_", &c, core);
        assert_eq!(form_arg(0).unwrap(), InfoForm::default());
        assert!(form_arg(3).is_err());
    }

    #[test]
    fn control_operations_match_core() {
        let c = [
            ("CONTINUE", PRIVNUM_CONTROL_OPERATE_CONTINUE),
            ("REJECT", PRIVNUM_CONTROL_OPERATE_REJECT),
            ("IVR", PRIVNUM_CONTROL_OPERATE_IVR),
        ];
        let core = ControlOperate::ALL.iter().map(|&o| {
            assert_eq!(screaming(&format!("{o:?}")), o.name());
            (screaming(&format!("{o:?}")), o as u32)
        });
        check_family("PRIVNUM_CONTROL_OPERATE_", &c, core);
        assert!(privnum_control_operate_name(0).is_null());
    }

    #[test]
    fn max_duration_matches_core() {
        assert_eq!(
            PRIVNUM_MAX_DURATION_MINUTES,
            privnum::callback::reply::MAX_DURATION_MINUTES
        );
        assert_eq!(defines("PRIVNUM_MAX_").get("DURATION_MINUTES"), Some(&1440));
    }

    #[test]
    fn longest_replies_fit_the_documented_buffers() {
        use privnum::callback::reply::SmsReply;
        let n = |s: &str| privnum::number::parse(s).unwrap();
        // The longest numbers the reply fields take, and text that doubles
        // when escaped.
        let callee = n("+8613900000002");
        let long = n("+447700900123");
        let tone = "t".repeat(128);
        let user_data = "\"".repeat(256);
        for form in InfoForm::ALL {
            let json = ConnectReply::new(callee)
                .display(long)
                .max_duration_minutes(1440)
                .wait_voice(tone.as_str())
                .record(true)
                .record_hint_tone(tone.as_str())
                .last_min_voice(tone.as_str())
                .user_data(user_data.as_str())
                .form(*form)
                .to_json()
                .unwrap();
            assert!(json.len() <= 2048, "{}", json.len());
            let json = CloseReply::new()
                .close_hint_tone(tone.as_str())
                .user_data(user_data.as_str())
                .form(*form)
                .to_json()
                .unwrap();
            assert!(json.len() <= 1024, "{}", json.len());
        }
        let json = SmsReply::route(long, callee)
            .user_data(user_data.as_str())
            .to_json()
            .unwrap();
        assert!(json.len() <= 1024, "{}", json.len());
        // The failure text of a CDR: a code and its description.
        use privnum::callback::codes::{FailReason, Q850};
        let longest = FailReason::known_codes()
            .map(|r| r.to_string().len())
            .chain(Q850::known_codes().map(|q| q.to_string().len()))
            .chain([FailReason(u32::MAX).to_string().len()])
            .max()
            .unwrap();
        assert!(longest <= 256, "{longest}");
    }

    #[test]
    fn bools_are_read_as_bytes() {
        let callee = privnum::number::parse("+8613900000002").unwrap();
        // All zero: no display, no duration, texts absent, default form.
        let mut raw = std::mem::MaybeUninit::<privnum_connect_options>::zeroed();
        let p = raw.as_mut_ptr();
        // SAFETY: `p` points to the zeroed options; `record` gets a byte Rust
        // would not accept as a `bool`, which is only ever read through
        // `bool_in`, and the options are never read as a Rust value.
        unsafe {
            (&raw mut (*p).callee).write(callee.into());
            (&raw mut (*p).record).cast::<u8>().write(0xA5);
        }
        let mut buf = [0u8; 256];
        let mut n = 0;
        // SAFETY: valid options and output.
        let r = unsafe { privnum_reply_connect(raw.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut n) };
        assert_eq!(r, 0, "{}", crate::boundary::last_error());
        assert!(
            std::str::from_utf8(&buf[..n])
                .unwrap()
                .contains(r#""recordFlag":"true""#)
        );
    }
}

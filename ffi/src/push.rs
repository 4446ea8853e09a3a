//! Parsed pushes (`privnum_push_*`): an opaque handle that owns a copy of the
//! body and the typed parse result, and views into it.
//!
//! The core's push types borrow their strings from the body. The handle keeps
//! both together (see [`owner`], built on the `self_cell` crate): the body is
//! copied once into a heap block that is freed only after the parse result, so every view
//! handed to C (`privnum_str`) points into memory owned by the handle and
//! stays valid until the push object is freed. Nothing is converted or copied
//! per field, and fields privnum does not model stay reachable as raw JSON
//! (`privnum_push_cdr_field`).

use std::ffi::c_char;

use privnum::callback::codes::{NumberStatus, Party, UnavailableCause};
use privnum::callback::push::{self, CallEvent, CallEventKind, CdrRecord, NumberStatusEntry};
use privnum::callback::{Push, Received, SmsEvent};
use privnum::{Error, ErrorKind, Number, Result};

use crate::boundary::{
    Out, OutBuf, call, guard, handle_clone, handle_free, handle_new, handle_ref, slice_in,
    static_cstr, str_in,
};
use crate::number::privnum_number;
use crate::result::privnum_result;

pub(crate) use owner::Owner;

/// The self-referential pair (body, parse result), built with `self_cell`
/// rather than hand-written unsafe code.
mod owner {
    use privnum::Result;
    use privnum::callback::{Push, Received};
    use self_cell::self_cell;

    type ReceivedOf<'a> = Received<'a>;

    // The body copy and the parse result that borrows from it, in one value
    // (the `self_cell` crate provides the self-reference safely).
    self_cell!(
        struct Cell {
            owner: Box<[u8]>,
            #[covariant]
            dependent: ReceivedOf,
        }
    );

    /// The body and what was parsed from it.
    pub(crate) struct Owner {
        cell: Cell,
        /// The SMS de-duplication key (`SmsEvent::key` allocates; it is made
        /// once so that C can get a view of it).
        sms_key: Option<String>,
    }

    impl Owner {
        /// Copy `bytes` to the heap and parse the copy with `make`.
        pub(crate) fn new(
            bytes: &[u8],
            make: impl for<'b> FnOnce(&'b [u8]) -> Result<Received<'b>>,
        ) -> Result<Self> {
            let cell = Cell::try_new(bytes.to_vec().into_boxed_slice(), |body| make(body))?;
            let sms_key = match &cell.borrow_dependent().push {
                Push::Sms(sms) => sms.key(),
                _ => None,
            };
            Ok(Self { cell, sms_key })
        }

        /// The parse result, borrowed for as long as `self` is.
        pub(crate) fn received(&self) -> &Received<'_> {
            self.cell.borrow_dependent()
        }

        /// The SMS de-duplication key, for SMS pushes that have one.
        pub(crate) fn sms_key(&self) -> Option<&str> {
            self.sms_key.as_deref()
        }

        /// The body's size in bytes.
        pub(crate) fn body_len(&self) -> usize {
            self.cell.borrow_owner().len()
        }
    }
}

// ------------------------------------------------------------------- views

/// A view of UTF-8 text (`data`, `len` bytes), NOT NUL-terminated.
///
/// As an OUTPUT (fields of `privnum_cdr`, `privnum_call_event`, ...) it
/// points into the push handle it was read from and stays valid until that
/// push is freed (see "Pushes and views" at the top of this header); never
/// free or write through it. `{ NULL, 0 }` means ABSENT: the field was not
/// in the push (or was JSON `null`). A non-NULL `data` with `len` 0 is a
/// field that is PRESENT BUT EMPTY (`""`).
///
/// As an INPUT (fields of the reply option structs) `{ NULL, 0 }` means "not
/// set"; a non-NULL `data` sets the field, even with `len` 0 (what an empty
/// value means is said on each field); NULL with `len` > 0 is
/// `PRIVNUM_RESULT_NULL_PARAMETER`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct privnum_str {
    /// The first byte, or NULL when absent.
    pub data: *const u8,
    /// The length in bytes (0 when absent).
    pub len: usize,
}

impl privnum_str {
    /// `{ NULL, 0 }`.
    pub(crate) const fn absent() -> Self {
        Self {
            data: std::ptr::null(),
            len: 0,
        }
    }

    /// A view of `s` (which must live as long as the view is used).
    pub(crate) fn of(s: &str) -> Self {
        /// Where present-but-empty views point: a readable byte, so that C
        /// code may pass `data` to `memcpy` and friends with a length of 0.
        static EMPTY: [u8; 1] = [0];
        if s.is_empty() {
            Self {
                data: EMPTY.as_ptr(),
                len: 0,
            }
        } else {
            Self {
                data: s.as_ptr(),
                len: s.len(),
            }
        }
    }

    /// A view of `s`, or absent.
    pub(crate) fn opt(s: Option<&str>) -> Self {
        s.map_or(Self::absent(), Self::of)
    }

    /// Read an optional input text: `{ NULL, 0 }` is `None`.
    ///
    /// # Safety
    ///
    /// `data` must be NULL or point to `len` readable bytes that stay valid
    /// and unmodified for `'a`.
    pub(crate) unsafe fn input<'a>(self, what: &str) -> Result<Option<&'a str>> {
        if self.data.is_null() && self.len == 0 {
            return Ok(None);
        }
        // SAFETY: forwarded from this function's contract.
        unsafe { str_in(self.data, self.len, what) }.map(Some)
    }
}

fn text(s: Option<&std::borrow::Cow<'_, str>>) -> privnum_str {
    privnum_str::opt(s.map(AsRef::as_ref))
}

/// `(has, value)` of an optional value, 0 when absent.
fn opt<T: Copy + Default>(v: Option<T>) -> (bool, T) {
    (v.is_some(), v.unwrap_or_default())
}

fn opt_number(n: Option<Number>) -> (bool, privnum_number) {
    match n {
        Some(n) => (true, n.into()),
        None => (false, privnum_number { bits: 0 }),
    }
}

// ------------------------------------------------------------- constants

/// Push kind: a call event (`privnum_push_call`).
pub const PRIVNUM_PUSH_KIND_CALL: u32 = 1;
/// Push kind: a batch of 1 to `PRIVNUM_MAX_CDRS` CDRs (`privnum_push_cdr`).
pub const PRIVNUM_PUSH_KIND_CDRS: u32 = 2;
/// Push kind: an SMS notification (`privnum_push_sms`).
pub const PRIVNUM_PUSH_KIND_SMS: u32 = 3;
/// Push kind: X-number status changes (`privnum_push_number_status`).
pub const PRIVNUM_PUSH_KIND_NUMBER_STATUS: u32 = 4;

/// The most CDR records one push carries (more is `PRIVNUM_RESULT_PUSH_TOO_LARGE`).
pub const PRIVNUM_MAX_CDRS: usize = 50;
/// The most entries one X-number status push carries.
pub const PRIVNUM_MAX_NUMBER_STATUSES: usize = 100;

/// Call event: `callin`, the call reached X (in X mode with `notifyMode`
/// `Block`, a reply is due: see `needs_reply`).
pub const PRIVNUM_CALL_EVENT_CALL_IN: u32 = 1;
/// Call event: `callout`, the platform started the outbound leg.
pub const PRIVNUM_CALL_EVENT_CALL_OUT: u32 = 2;
/// Call event: `alerting`, the callee's phone is ringing.
pub const PRIVNUM_CALL_EVENT_ALERTING: u32 = 3;
/// Call event: `answer`, the callee answered.
pub const PRIVNUM_CALL_EVENT_ANSWER: u32 = 4;
/// Call event: `collectInfo`, digits were collected (`digit_info`).
pub const PRIVNUM_CALL_EVENT_COLLECT_INFO: u32 = 5;
/// Call event: `disconnect`, the call ended (`state_code` says why).
pub const PRIVNUM_CALL_EVENT_DISCONNECT: u32 = 6;
/// Call event: an `eventType` privnum does not know; `event_name` has it.
pub const PRIVNUM_CALL_EVENT_OTHER: u32 = 7;

pub(crate) fn push_kind(p: &Push<'_>) -> u32 {
    match p {
        Push::Call(_) => PRIVNUM_PUSH_KIND_CALL,
        Push::Cdrs(_) => PRIVNUM_PUSH_KIND_CDRS,
        Push::Sms(_) => PRIVNUM_PUSH_KIND_SMS,
        Push::NumberStatus(_) => PRIVNUM_PUSH_KIND_NUMBER_STATUS,
        _ => 0,
    }
}

fn call_event_kind(k: &CallEventKind) -> u32 {
    match k {
        CallEventKind::CallIn => PRIVNUM_CALL_EVENT_CALL_IN,
        CallEventKind::CallOut => PRIVNUM_CALL_EVENT_CALL_OUT,
        CallEventKind::Alerting => PRIVNUM_CALL_EVENT_ALERTING,
        CallEventKind::Answer => PRIVNUM_CALL_EVENT_ANSWER,
        CallEventKind::CollectInfo => PRIVNUM_CALL_EVENT_COLLECT_INFO,
        CallEventKind::Disconnect => PRIVNUM_CALL_EVENT_DISCONNECT,
        _ => PRIVNUM_CALL_EVENT_OTHER,
    }
}

/// `PRIVNUM_PARTY_*` for an optional party.
pub(crate) fn party_code(p: Option<Party>) -> u32 {
    use crate::codes::{
        PRIVNUM_PARTY_CALLEE, PRIVNUM_PARTY_CALLER, PRIVNUM_PARTY_NONE, PRIVNUM_PARTY_PLATFORM,
    };
    match p {
        None => PRIVNUM_PARTY_NONE,
        Some(Party::Caller) => PRIVNUM_PARTY_CALLER,
        Some(Party::Callee) => PRIVNUM_PARTY_CALLEE,
        Some(Party::Platform) => PRIVNUM_PARTY_PLATFORM,
    }
}

// ------------------------------------------------------------------ handle

/// A parsed push: owns a copy of the body and everything read from it.
///
/// Create with `privnum_push_parse` (or get the push of a `privnum_received`
/// with `privnum_received_push`); release with `privnum_push_free`. Read it
/// with `privnum_push_kind` and the accessors of its kind. Immutable and
/// thread-safe; reference counted like the other handles.
pub struct privnum_push {
    owner: Owner,
}

impl std::fmt::Debug for privnum_push {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("privnum_push")
            .field("kind", &self.push().kind_name())
            .field("body_len", &self.owner.body_len())
            .finish()
    }
}

impl privnum_push {
    pub(crate) fn new(owner: Owner) -> Self {
        Self { owner }
    }

    pub(crate) fn received(&self) -> &Received<'_> {
        self.owner.received()
    }

    fn push(&self) -> &Push<'_> {
        &self.owner.received().push
    }
}

/// Parse a push body (the raw HTTP request body: JSON, UTF-8) and write a
/// new push handle to `*out`. The body is copied; `body` may be reused as
/// soon as the call returns.
///
/// This checks neither signature nor duplicates and has no size limit: for
/// pushes arriving over HTTP use `privnum_inbox_receive`, which does all of
/// it. Fails with `PRIVNUM_RESULT_PUSH_INVALID_JSON` (also for bytes that
/// are not UTF-8), `PRIVNUM_RESULT_PUSH_MISSING_FIELD`,
/// `PRIVNUM_RESULT_PUSH_WRONG_TYPE`, `PRIVNUM_RESULT_PUSH_INVALID_VALUE`
/// (the last error names the field, e.g. `feeLst[1].direction`),
/// `PRIVNUM_RESULT_PUSH_UNKNOWN_KIND` or `PRIVNUM_RESULT_PUSH_TOO_LARGE`
/// (more than `PRIVNUM_MAX_CDRS` records or `PRIVNUM_MAX_NUMBER_STATUSES`
/// entries).
///
/// Ownership: on success the caller owns `*out` and must release it with
/// `privnum_push_free`. `*out` is written only on success.
///
/// # Safety
///
/// `body` must be NULL (only with `body_len == 0`) or point to `body_len`
/// readable bytes; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_parse(
    body: *const u8,
    body_len: usize,
    out: *mut *mut privnum_push,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `body`/`body_len` and `out` (see above).
        let (body, out) = unsafe { (slice_in(body, body_len, "body")?, Out::new(out, "out")?) };
        let owner = Owner::new(body, |b| {
            Ok(Received {
                push: push::parse(b)?,
                verified: None,
                items: Vec::new(),
            })
        })?;
        out.write(handle_new(privnum_push::new(owner)));
        Ok(())
    })
}

/// Write to `*out` another handle to the same push (reference counted, no
/// copy). This also works on the push of a `privnum_received`, to keep the
/// push (and its views) after `privnum_received_free`.
///
/// # Safety
///
/// `push` must be a live push; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_clone(
    push: *const privnum_push,
    out: *mut *mut privnum_push,
) -> privnum_result {
    // SAFETY: the caller guarantees `push` and `out` (see above).
    call(|| unsafe { handle_clone(push, out, "push") })
}

/// Release a push handle. NULL does nothing. Views read from the push stay
/// valid while another handle to it (a clone, or the `privnum_received` it
/// came from) is alive, and become invalid when the last one is released.
///
/// # Safety
///
/// `push` must be NULL or a handle from `privnum_push_parse` or
/// `privnum_push_clone` (NOT the pointer returned by
/// `privnum_received_push`, which the received owns); it must not be used
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_free(push: *mut privnum_push) {
    // SAFETY: the caller guarantees `push` (see above).
    guard((), || unsafe { handle_free(push) });
}

/// The kind of the push, a `PRIVNUM_PUSH_KIND_*` value; 0 if `push` is NULL.
///
/// # Safety
///
/// `push` must be NULL or a live push.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_kind(push: *const privnum_push) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `push` (see above).
        let push = unsafe { handle_ref(push, "push") };
        push.map_or(0, |p| push_kind(p.push()))
    })
}

/// The static, NUL-terminated name of a `PRIVNUM_PUSH_KIND_*` value
/// (`"call"`, `"cdrs"`, `"sms"`, `"number_status"`), or NULL for an unknown
/// value. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn privnum_push_kind_name(kind: u32) -> *const c_char {
    // Core's `Push::kind_name` (checked in the tests).
    let name = match kind {
        PRIVNUM_PUSH_KIND_CALL => "call",
        PRIVNUM_PUSH_KIND_CDRS => "cdrs",
        PRIVNUM_PUSH_KIND_SMS => "sms",
        PRIVNUM_PUSH_KIND_NUMBER_STATUS => "number_status",
        _ => return std::ptr::null(),
    };
    guard(std::ptr::null(), || static_cstr(name))
}

/// Whether the platform waits for a decision in the HTTP response: an
/// X-mode `callin` with `notifyMode` `Block` (answer with
/// `privnum_reply_connect` or `privnum_reply_close`), or an SMS in Block mode
/// (`privnum_reply_sms_route` or `privnum_reply_sms_discard`). False for
/// every other push, and if `push` is NULL.
///
/// # Safety
///
/// `push` must be NULL or a live push.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_needs_reply(push: *const privnum_push) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `push` (see above).
        unsafe { handle_ref(push, "push") }.is_ok_and(|p| match p.push() {
            Push::Call(ev) => ev.needs_reply(),
            Push::Sms(sms) => sms.needs_reply(),
            _ => false,
        })
    })
}

fn kind_description(p: &Push<'_>) -> &'static str {
    match p {
        Push::Call(_) => "a call event (PRIVNUM_PUSH_KIND_CALL)",
        Push::Cdrs(_) => "a CDR batch (PRIVNUM_PUSH_KIND_CDRS)",
        Push::Sms(_) => "an SMS notification (PRIVNUM_PUSH_KIND_SMS)",
        Push::NumberStatus(_) => "an X-number status push (PRIVNUM_PUSH_KIND_NUMBER_STATUS)",
        _ => "of a kind this function does not read",
    }
}

fn wrong_kind(p: &Push<'_>, wanted: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("the push is {}, not {wanted}", kind_description(p)),
    )
}

fn cdrs<'p>(p: &'p privnum_push) -> Result<&'p [CdrRecord<'p>]> {
    match p.push() {
        Push::Cdrs(records) => Ok(records),
        other => Err(wrong_kind(other, "a CDR batch")),
    }
}

fn item<'s, T>(items: &'s [T], i: usize, what: &str) -> Result<&'s T> {
    items.get(i).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "index {i} is out of range: the push has {} {what}",
                items.len()
            ),
        )
    })
}

fn cdr<'p>(p: &'p privnum_push, i: usize) -> Result<&'p CdrRecord<'p>> {
    item(cdrs(p)?, i, "CDR records")
}

// -------------------------------------------------------------------- CDRs

/// One CDR of a CDR push (`feeLst[i]`), as read by `privnum_push_cdr`.
///
/// Every field is optional on the wire. Text fields are views (see
/// `privnum_str`: `{ NULL, 0 }` when absent) valid until the push is freed;
/// numbers stay as sent (the platform does not promise valid numbers), with
/// `caller_number` / `destination_number` parsed when they are. Times are
/// Unix seconds (UTC), present when `has_<time>` is true (an empty time
/// string counts as absent); codes likewise with `has_<code>`. Absent values
/// are 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_cdr {
    /// `direction` is present.
    pub has_direction: bool,
    /// Direction code (AXB: 0 = B→A, 1 = A→B; AX/AXE: 0 = to A, 1 = from A; 2 = abnormal).
    pub direction: u32,
    /// `spId`: the customer's cloud account name.
    pub sp_id: privnum_str,
    /// `appKey`.
    pub app_key: privnum_str,
    /// `icid`: the unique call-record id.
    pub icid: privnum_str,
    /// `bindNum`: the privacy number X (in AXYB X or Y).
    pub bind_num: privnum_str,
    /// `sessionId`: the call-leg id, as in the call events.
    pub session_id: privnum_str,
    /// `subscriptionId`: the binding; empty when no binding matched (then expect 8014).
    pub subscription_id: privnum_str,
    /// `callerNum`: the real caller dialling X.
    pub caller_num: privnum_str,
    /// `calleeNum`: the first-leg callee (normally X).
    pub callee_num: privnum_str,
    /// `fwdDisplayNum`: the number shown on the second leg.
    pub fwd_display_num: privnum_str,
    /// `fwdDstNum`: the real destination of the second leg.
    pub fwd_dst_num: privnum_str,
    /// `callInTime` is present.
    pub has_call_in_time: bool,
    /// `callInTime`: first leg start.
    pub call_in_time: i64,
    /// `fwdStartTime` is present.
    pub has_fwd_start_time: bool,
    /// `fwdStartTime`: second leg start.
    pub fwd_start_time: i64,
    /// `fwdAlertingTime` is present.
    pub has_fwd_alerting_time: bool,
    /// `fwdAlertingTime`: second leg ringing.
    pub fwd_alerting_time: i64,
    /// `fwdAnswerTime` is present.
    pub has_fwd_answer_time: bool,
    /// `fwdAnswerTime`: second leg answered.
    pub fwd_answer_time: i64,
    /// `callEndTime` is present.
    pub has_call_end_time: bool,
    /// `callEndTime`: end of the call.
    pub call_end_time: i64,
    /// `fwdUnaswRsn` is present.
    pub has_fwd_unasw_rsn: bool,
    /// `fwdUnaswRsn`: Q.850 cause of a second-leg failure (`privnum_q850_description`).
    pub fwd_unasw_rsn: u32,
    /// `failTime` is present.
    pub has_fail_time: bool,
    /// `failTime`: failure time.
    pub fail_time: i64,
    /// `ulFailReason` is present.
    pub has_ul_fail_reason: bool,
    /// `ulFailReason`: tear-down point, 0 = normal hang-up after answer
    /// (`privnum_fail_reason_description` / `_category`).
    pub ul_fail_reason: u32,
    /// `sipStatusCode` is present.
    pub has_sip_status_code: bool,
    /// `sipStatusCode`: SIP status of a failure.
    pub sip_status_code: u32,
    /// `callOutUnaswRsn` is present.
    pub has_call_out_unasw_rsn: bool,
    /// `callOutUnaswRsn`: reserved Q.850 cause of an initiated leg.
    pub call_out_unasw_rsn: u32,
    /// `recordFlag` is present.
    pub has_record_flag: bool,
    /// `recordFlag`: 1 when the call was recorded.
    pub record_flag: u32,
    /// `recordStartTime` is present.
    pub has_record_start_time: bool,
    /// `recordStartTime`: recording start.
    pub record_start_time: i64,
    /// `recordObjectName`: the recording's file name.
    pub record_object_name: privnum_str,
    /// `recordBucketName`: the recording's storage directory.
    pub record_bucket_name: privnum_str,
    /// `recordDomain`: the recording's storage domain.
    pub record_domain: privnum_str,
    /// `serviceType`: business type code (e.g. `004`).
    pub service_type: privnum_str,
    /// `hostName`: the host that produced the CDR.
    pub host_name: privnum_str,
    /// `extendNum`: AXE extension.
    pub extend_num: privnum_str,
    /// `userData` of the binding or reply.
    pub user_data: privnum_str,
    /// `notifyMode` (X mode: `Block`).
    pub notify_mode: privnum_str,
    /// Derived: the callee answered (`fwdAnswerTime` is present).
    pub answered: bool,
    /// Derived: seconds of conversation (`callEndTime - fwdAnswerTime`, at
    /// least 0); 0 when unanswered.
    pub talk_seconds: i64,
    /// Derived: `ring_seconds` is known (needs `fwdAlertingTime` and an answer or end time).
    pub has_ring_seconds: bool,
    /// Derived: seconds from ringing to answer (or to the end, when unanswered).
    pub ring_seconds: i64,
    /// Derived: who ended the call, when `ulFailReason` says so: a
    /// `PRIVNUM_PARTY_*` value, `PRIVNUM_PARTY_NONE` otherwise.
    pub hung_up_by: u32,
    /// Derived: the call failed (a non-normal `ulFailReason` or Q.850
    /// cause); `privnum_push_cdr_failure` says why, in words.
    pub has_failure: bool,
    /// Derived: a recording exists (`recordFlag` 1 with a file name and a
    /// domain): `recording_file_name` and `recording_domain` are the
    /// `fileName` and `recordDomain` of the recording download API.
    pub has_recording: bool,
    /// Derived: the recording's `fileName` (absent without a recording).
    pub recording_file_name: privnum_str,
    /// Derived: the recording's `recordDomain` (absent without a recording).
    pub recording_domain: privnum_str,
    /// Derived: the de-duplication key: `icid`, else `sessionId`; absent
    /// when both are absent or empty.
    pub key: privnum_str,
    /// Derived: `caller_num` is a valid number.
    pub has_caller_number: bool,
    /// Derived: `caller_num` parsed (default country +86); bits 0 when not.
    pub caller_number: privnum_number,
    /// Derived: `fwd_dst_num` is a valid number.
    pub has_destination_number: bool,
    /// Derived: `fwd_dst_num` parsed (default country +86); bits 0 when not.
    pub destination_number: privnum_number,
}

impl privnum_cdr {
    fn of(r: &CdrRecord<'_>) -> Self {
        let (has_direction, direction) = opt(r.direction);
        let (has_call_in_time, call_in_time) = opt(r.call_in_time);
        let (has_fwd_start_time, fwd_start_time) = opt(r.fwd_start_time);
        let (has_fwd_alerting_time, fwd_alerting_time) = opt(r.fwd_alerting_time);
        let (has_fwd_answer_time, fwd_answer_time) = opt(r.fwd_answer_time);
        let (has_call_end_time, call_end_time) = opt(r.call_end_time);
        let (has_fwd_unasw_rsn, fwd_unasw_rsn) = opt(r.fwd_unasw_rsn.map(|q| q.code()));
        let (has_fail_time, fail_time) = opt(r.fail_time);
        let (has_ul_fail_reason, ul_fail_reason) = opt(r.ul_fail_reason.map(|f| f.code()));
        let (has_sip_status_code, sip_status_code) = opt(r.sip_status_code);
        let (has_call_out_unasw_rsn, call_out_unasw_rsn) =
            opt(r.call_out_unasw_rsn.map(|q| q.code()));
        let (has_record_flag, record_flag) = opt(r.record_flag);
        let (has_record_start_time, record_start_time) = opt(r.record_start_time);
        let (has_ring_seconds, ring_seconds) = opt(r.ring_seconds());
        let recording = r.recording();
        let (has_caller_number, caller_number) = opt_number(r.caller_number());
        let (has_destination_number, destination_number) = opt_number(r.destination_number());
        Self {
            has_direction,
            direction,
            sp_id: text(r.sp_id.as_ref()),
            app_key: text(r.app_key.as_ref()),
            icid: text(r.icid.as_ref()),
            bind_num: text(r.bind_num.as_ref()),
            session_id: text(r.session_id.as_ref()),
            subscription_id: text(r.subscription_id.as_ref()),
            caller_num: text(r.caller_num.as_ref()),
            callee_num: text(r.callee_num.as_ref()),
            fwd_display_num: text(r.fwd_display_num.as_ref()),
            fwd_dst_num: text(r.fwd_dst_num.as_ref()),
            has_call_in_time,
            call_in_time,
            has_fwd_start_time,
            fwd_start_time,
            has_fwd_alerting_time,
            fwd_alerting_time,
            has_fwd_answer_time,
            fwd_answer_time,
            has_call_end_time,
            call_end_time,
            has_fwd_unasw_rsn,
            fwd_unasw_rsn,
            has_fail_time,
            fail_time,
            has_ul_fail_reason,
            ul_fail_reason,
            has_sip_status_code,
            sip_status_code,
            has_call_out_unasw_rsn,
            call_out_unasw_rsn,
            has_record_flag,
            record_flag,
            has_record_start_time,
            record_start_time,
            record_object_name: text(r.record_object_name.as_ref()),
            record_bucket_name: text(r.record_bucket_name.as_ref()),
            record_domain: text(r.record_domain.as_ref()),
            service_type: text(r.service_type.as_ref()),
            host_name: text(r.host_name.as_ref()),
            extend_num: text(r.extend_num.as_ref()),
            user_data: text(r.user_data.as_ref()),
            notify_mode: text(r.notify_mode.as_ref()),
            answered: r.answered(),
            talk_seconds: r.talk_seconds(),
            has_ring_seconds,
            ring_seconds,
            hung_up_by: party_code(r.hung_up_by()),
            has_failure: r.failure().is_some(),
            has_recording: recording.is_some(),
            recording_file_name: privnum_str::opt(recording.map(|x| x.file_name)),
            recording_domain: privnum_str::opt(recording.map(|x| x.record_domain)),
            key: privnum_str::opt(r.key()),
            has_caller_number,
            caller_number,
            has_destination_number,
            destination_number,
        }
    }
}

/// The number of CDR records of a CDR push (1 to `PRIVNUM_MAX_CDRS`); 0 for
/// other pushes and if `push` is NULL.
///
/// # Safety
///
/// `push` must be NULL or a live push.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_cdr_count(push: *const privnum_push) -> usize {
    guard(0, || {
        // SAFETY: the caller guarantees `push` (see above).
        unsafe { handle_ref(push, "push") }
            .and_then(cdrs)
            .map_or(0, <[_]>::len)
    })
}

/// Read CDR record `index` (0-based) of a CDR push into `*out`; its text
/// fields are views valid until the push is freed.
///
/// Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not a CDR
/// push or `index` is not below `privnum_push_cdr_count`. `*out` is written
/// only on success.
///
/// # Safety
///
/// `push` must be a live push; `out` must be valid for writing a
/// `privnum_cdr`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_cdr(
    push: *const privnum_push,
    index: usize,
    out: *mut privnum_cdr,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `push` and `out` (see above).
        let (push, out) = unsafe { (handle_ref(push, "push")?, Out::new(out, "out")?) };
        out.write(privnum_cdr::of(cdr(push, index)?));
        Ok(())
    })
}

/// Look up the field `name` (its JSON name, e.g. `"sipStatusCode"`, known to
/// privnum or not) of CDR record `index` and write its raw JSON text, exactly
/// as sent (`"\"abc\""` for a string, `42`, `{...}`), to `*out` as a view
/// valid until the push is freed. A field that is not in the record gives
/// `{ NULL, 0 }` and `PRIVNUM_RESULT_OK`.
///
/// Fails as `privnum_push_cdr` does, and for a `name` that is not UTF-8.
///
/// # Safety
///
/// `push` must be a live push; `name` must be NULL (only with
/// `name_len == 0`) or point to `name_len` readable bytes; `out` must be
/// valid for writing a `privnum_str`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_cdr_field(
    push: *const privnum_push,
    index: usize,
    name: *const u8,
    name_len: usize,
    out: *mut privnum_str,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (push, name, out) = unsafe {
            (
                handle_ref(push, "push")?,
                str_in(name, name_len, "name")?,
                Out::new(out, "out")?,
            )
        };
        let record = cdr(push, index)?;
        out.write(privnum_str::opt(record.field(name).map(|raw| raw.get())));
        Ok(())
    })
}

/// Write why the call of CDR record `index` failed, in words
/// (`"7503 (callee hung up)"`: the tear-down point, else the Q.850 cause) to
/// `buf` (not NUL-terminated), with its length in `*out_n`. A call that did
/// not fail (`has_failure` false) writes nothing and sets `*out_n` to 0
/// (the text is never empty otherwise). 256 bytes always suffice.
///
/// Fails as `privnum_push_cdr` does, and with
/// `PRIVNUM_RESULT_INSUFFICIENT_SIZE` as described at the top of this header.
///
/// # Safety
///
/// `push` must be a live push; `buf` must be NULL (only with `buf_len == 0`)
/// or valid for writing `buf_len` bytes; `out_n` must be valid for writing a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_cdr_failure(
    push: *const privnum_push,
    index: usize,
    buf: *mut u8,
    buf_len: usize,
    out_n: *mut usize,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (push, out) = unsafe { (handle_ref(push, "push")?, OutBuf::new(buf, buf_len, out_n)?) };
        let failure = cdr(push, index)?.failure();
        out.put(failure.as_deref().unwrap_or("").as_bytes())
    })
}

// ------------------------------------------------------------- call events

/// A call event (`{"eventType": ..., "statusInfo": {...}}`), as read by
/// `privnum_push_call`. Which fields are present depends on the event and
/// the mode. Text fields are views valid until the push is freed.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_call_event {
    /// What happened: a `PRIVNUM_CALL_EVENT_*` value.
    pub event: u32,
    /// The `eventType` as sent (`"callin"`, `"disconnect"`, ...; always present).
    pub event_name: privnum_str,
    /// The platform waits for a routing decision in the HTTP response (an
    /// X-mode `callin` with `notifyMode` `Block`).
    pub needs_reply: bool,
    /// `timestamp` is present.
    pub has_timestamp: bool,
    /// `timestamp`: the event time, Unix seconds.
    pub timestamp: i64,
    /// `sessionId`: the call-leg id, shared by the call's events and its CDR.
    pub session_id: privnum_str,
    /// `caller`, as sent.
    pub caller: privnum_str,
    /// `called`, as sent.
    pub called: privnum_str,
    /// `subscriptionId`: the binding (absent for AXE callin and X mode).
    pub subscription_id: privnum_str,
    /// `userData` of the binding or reply.
    pub user_data: privnum_str,
    /// `notifyMode`: `Block` for an X-mode `callin` awaiting a reply.
    pub notify_mode: privnum_str,
    /// `digitInfo`: the digits the caller keyed (`collectInfo`).
    pub digit_info: privnum_str,
    /// `stateCode` is present.
    pub has_state_code: bool,
    /// `stateCode`: why the call ended (`disconnect`); same codes as a CDR's `ulFailReason`.
    pub state_code: u32,
    /// `stateDesc`: the platform's text for `stateCode`.
    pub state_desc: privnum_str,
    /// `callRelDirection` as raw JSON text (its values are undocumented).
    pub call_rel_direction: privnum_str,
    /// `partyType` as raw JSON text (VoiceCall; values undocumented).
    pub party_type: privnum_str,
    /// `displayCallerNum` (VoiceCall).
    pub display_caller_num: privnum_str,
    /// `caller` is a valid number.
    pub has_caller_number: bool,
    /// `caller` parsed (default country +86); bits 0 when not.
    pub caller_number: privnum_number,
    /// `called` is a valid number.
    pub has_called_number: bool,
    /// `called` parsed (default country +86); bits 0 when not.
    pub called_number: privnum_number,
}

impl privnum_call_event {
    fn of(ev: &CallEvent<'_>) -> Self {
        let i = &ev.info;
        let (has_timestamp, timestamp) = opt(i.timestamp);
        let (has_state_code, state_code) = opt(i.state_code.map(|c| c.code()));
        let (has_caller_number, caller_number) = opt_number(i.caller_number());
        let (has_called_number, called_number) = opt_number(i.called_number());
        Self {
            event: call_event_kind(&ev.kind),
            event_name: privnum_str::of(ev.kind.name()),
            needs_reply: ev.needs_reply(),
            has_timestamp,
            timestamp,
            session_id: text(i.session_id.as_ref()),
            caller: text(i.caller.as_ref()),
            called: text(i.called.as_ref()),
            subscription_id: text(i.subscription_id.as_ref()),
            user_data: text(i.user_data.as_ref()),
            notify_mode: text(i.notify_mode.as_ref()),
            digit_info: text(i.digit_info.as_ref()),
            has_state_code,
            state_code,
            state_desc: text(i.state_desc.as_ref()),
            call_rel_direction: privnum_str::opt(i.call_rel_direction.map(|r| r.get())),
            party_type: privnum_str::opt(i.party_type.map(|r| r.get())),
            display_caller_num: text(i.display_caller_num.as_ref()),
            has_caller_number,
            caller_number,
            has_called_number,
            called_number,
        }
    }
}

/// Read the call event of a call push into `*out`; its text fields are
/// views valid until the push is freed. Fails with
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not a call event.
/// `*out` is written only on success.
///
/// # Safety
///
/// `push` must be a live push; `out` must be valid for writing a
/// `privnum_call_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_call(
    push: *const privnum_push,
    out: *mut privnum_call_event,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `push` and `out` (see above).
        let (push, out) = unsafe { (handle_ref(push, "push")?, Out::new(out, "out")?) };
        match push.push() {
            Push::Call(ev) => {
                out.write(privnum_call_event::of(ev));
                Ok(())
            }
            other => Err(wrong_kind(other, "a call event")),
        }
    })
}

// -------------------------------------------------------------------- SMS

/// An SMS notification (`{"appKey": ..., "smsEvent": {...}}`), as read by
/// `privnum_push_sms`. Text fields are views valid until the push is freed.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_sms_event {
    /// `appKey` of the notification envelope.
    pub app_key: privnum_str,
    /// `smsIdentifier`: the unique id (segments of a long SMS are merged).
    pub sms_identifier: privnum_str,
    /// `notificationMode`: `Notify` or `Block`.
    pub notification_mode: privnum_str,
    /// `calling`: the real sender.
    pub calling: privnum_str,
    /// `called`: the real receiver (may be absent in Block mode).
    pub called: privnum_str,
    /// `virtualNumber`: X.
    pub virtual_number: privnum_str,
    /// `event`, e.g. `Text SMS` (spelled variously; compare loosely).
    pub event: privnum_str,
    /// `timeStamp` is present.
    pub has_time_stamp: bool,
    /// `timeStamp`: the event time, Unix seconds.
    pub time_stamp: i64,
    /// `sendResult` is present.
    pub has_send_result: bool,
    /// `sendResult`: 0 is success; other values are unconfirmed
    /// (`privnum_send_result_description`).
    pub send_result: u32,
    /// `subscriptionId`: the binding.
    pub subscription_id: privnum_str,
    /// `smsContent`: the text, when the platform was asked to push it.
    pub sms_content: privnum_str,
    /// `userData` of the binding.
    pub user_data: privnum_str,
    /// The number of `extInfo.extParas` pairs (`privnum_push_sms_ext_para`).
    pub ext_para_count: usize,
    /// `split_num` is present.
    pub has_split_num: bool,
    /// `extParas` `splitNum`: how many segments were sent (the billing basis).
    pub split_num: u32,
    /// `direction` is present.
    pub has_direction: bool,
    /// `extParas` `direction` (0 = another user to A; others undocumented).
    pub direction: u32,
    /// The platform waits for a forward/discard decision (Block mode).
    pub needs_reply: bool,
    /// The de-duplication key (`smsIdentifier` plus the mode); absent
    /// without an `smsIdentifier`.
    pub key: privnum_str,
}

impl privnum_sms_event {
    fn of(s: &SmsEvent<'_>, key: Option<&str>) -> Self {
        let (has_time_stamp, time_stamp) = opt(s.time_stamp);
        let (has_send_result, send_result) = opt(s.send_result.map(|r| r.code()));
        let (has_split_num, split_num) = opt(s.split_num());
        let (has_direction, direction) = opt(s.direction());
        Self {
            app_key: text(s.app_key.as_ref()),
            sms_identifier: text(s.sms_identifier.as_ref()),
            notification_mode: text(s.notification_mode.as_ref()),
            calling: text(s.calling.as_ref()),
            called: text(s.called.as_ref()),
            virtual_number: text(s.virtual_number.as_ref()),
            event: text(s.event.as_ref()),
            has_time_stamp,
            time_stamp,
            has_send_result,
            send_result,
            subscription_id: text(s.subscription_id.as_ref()),
            sms_content: text(s.sms_content.as_ref()),
            user_data: text(s.user_data.as_ref()),
            ext_para_count: s.ext_paras.len(),
            has_split_num,
            split_num,
            has_direction,
            direction,
            needs_reply: s.needs_reply(),
            key: privnum_str::opt(key),
        }
    }
}

fn sms(p: &privnum_push) -> Result<&SmsEvent<'_>> {
    match p.push() {
        Push::Sms(sms) => Ok(sms),
        other => Err(wrong_kind(other, "an SMS notification")),
    }
}

/// Read the SMS notification of an SMS push into `*out`; its text fields
/// are views valid until the push is freed. Fails with
/// `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not an SMS push. `*out`
/// is written only on success.
///
/// # Safety
///
/// `push` must be a live push; `out` must be valid for writing a
/// `privnum_sms_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_sms(
    push: *const privnum_push,
    out: *mut privnum_sms_event,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `push` and `out` (see above).
        let (push, out) = unsafe { (handle_ref(push, "push")?, Out::new(out, "out")?) };
        out.write(privnum_sms_event::of(sms(push)?, push.owner.sms_key()));
        Ok(())
    })
}

/// Read pair `index` of an SMS push's `extInfo.extParas` (below
/// `ext_para_count`) into `*out_key` and `*out_value`, views valid until the
/// push is freed. Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is
/// not an SMS push or `index` is out of range. Nothing is written unless the
/// call succeeds.
///
/// # Safety
///
/// `push` must be a live push; `out_key` and `out_value` must each be valid
/// for writing a `privnum_str`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_sms_ext_para(
    push: *const privnum_push,
    index: usize,
    out_key: *mut privnum_str,
    out_value: *mut privnum_str,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees every pointer argument (see above).
        let (push, out_key, out_value) = unsafe {
            (
                handle_ref(push, "push")?,
                Out::new(out_key, "out_key")?,
                Out::new(out_value, "out_value")?,
            )
        };
        let (k, v) = item(&sms(push)?.ext_paras, index, "extParas pairs")?;
        out_key.write(privnum_str::of(k));
        out_value.write(privnum_str::of(v));
        Ok(())
    })
}

// ------------------------------------------------------- X-number status

/// One entry of an X-number status push, as read by
/// `privnum_push_number_status`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct privnum_number_status_entry {
    /// The X number, as sent (a view valid until the push is freed; always present).
    pub number: privnum_str,
    /// The new status, as its wire code: a `PRIVNUM_NUMBER_STATUS_*` value
    /// or another (unknown) code.
    pub status: u32,
    /// `cause` is present (normally only with `PRIVNUM_NUMBER_STATUS_UNAVAILABLE`).
    pub has_cause: bool,
    /// Why X is unavailable: a `PRIVNUM_UNAVAILABLE_CAUSE_*` value or another code.
    pub cause: u32,
    /// Existing bindings still carry calls and SMS (normal and bind-frozen numbers).
    pub binding_usable: bool,
    /// New bindings on the number are allowed (only when normal).
    pub new_bindings_allowed: bool,
}

impl privnum_number_status_entry {
    fn of(e: &NumberStatusEntry<'_>) -> Self {
        let (has_cause, cause) = opt(e.cause.map(UnavailableCause::code));
        Self {
            number: privnum_str::of(&e.number),
            status: NumberStatus::code(e.status),
            has_cause,
            cause,
            binding_usable: e.status.binding_usable(),
            new_bindings_allowed: e.status.new_bindings_allowed(),
        }
    }
}

fn number_statuses<'p>(p: &'p privnum_push) -> Result<&'p [NumberStatusEntry<'p>]> {
    match p.push() {
        Push::NumberStatus(entries) => Ok(entries),
        other => Err(wrong_kind(other, "an X-number status push")),
    }
}

/// The number of entries of an X-number status push (1 to
/// `PRIVNUM_MAX_NUMBER_STATUSES`); 0 for other pushes and if `push` is NULL.
///
/// # Safety
///
/// `push` must be NULL or a live push.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_number_status_count(push: *const privnum_push) -> usize {
    guard(0, || {
        // SAFETY: the caller guarantees `push` (see above).
        unsafe { handle_ref(push, "push") }
            .and_then(number_statuses)
            .map_or(0, <[_]>::len)
    })
}

/// Read entry `index` (0-based) of an X-number status push into `*out`.
/// Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not an
/// X-number status push or `index` is out of range. `*out` is written only
/// on success.
///
/// # Safety
///
/// `push` must be a live push; `out` must be valid for writing a
/// `privnum_number_status_entry`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn privnum_push_number_status(
    push: *const privnum_push,
    index: usize,
    out: *mut privnum_number_status_entry,
) -> privnum_result {
    call(|| {
        // SAFETY: the caller guarantees `push` and `out` (see above).
        let (push, out) = unsafe { (handle_ref(push, "push")?, Out::new(out, "out")?) };
        let entry = item(number_statuses(push)?, index, "number status entries")?;
        out.write(privnum_number_status_entry::of(entry));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{check_family, defines, screaming};

    const BODIES: [&str; 4] = [
        r#"{"eventType":"answer","statusInfo":{"sessionId":"s"}}"#,
        r#"{"eventType":"fee","feeLst":[{"icid":"a"}]}"#,
        r#"{"appKey":"k","smsEvent":{"smsIdentifier":"i"}}"#,
        r#"{"eventType":"numStatus","numInfo":[{"number":"+8617000000010","status":"5"}]}"#,
    ];

    fn parse(body: &str) -> *mut privnum_push {
        let mut p = std::ptr::null_mut();
        // SAFETY: valid body and out pointer.
        let r = unsafe { privnum_push_parse(body.as_ptr(), body.len(), &mut p) };
        assert_eq!(r, 0, "{}", crate::boundary::last_error());
        p
    }

    #[test]
    fn push_kinds_match_core() {
        let mut core = Vec::new();
        for body in BODIES {
            let pushed = push::parse(body.as_bytes()).unwrap();
            let p = parse(body);
            // SAFETY: `p` is a live push.
            let kind = unsafe { privnum_push_kind(p) };
            assert_eq!(kind, push_kind(&pushed));
            // SAFETY: the name is a static C string.
            let name = unsafe { std::ffi::CStr::from_ptr(privnum_push_kind_name(kind)) };
            assert_eq!(name.to_str(), Ok(pushed.kind_name()));
            core.push((pushed.kind_name().to_ascii_uppercase(), kind));
            // SAFETY: `p` is released once.
            unsafe { privnum_push_free(p) };
        }
        let c = [
            ("CALL", PRIVNUM_PUSH_KIND_CALL),
            ("CDRS", PRIVNUM_PUSH_KIND_CDRS),
            ("SMS", PRIVNUM_PUSH_KIND_SMS),
            ("NUMBER_STATUS", PRIVNUM_PUSH_KIND_NUMBER_STATUS),
        ];
        check_family("PRIVNUM_PUSH_KIND_", &c, core);
        assert!(privnum_push_kind_name(0).is_null());
        assert!(privnum_push_kind_name(5).is_null());
    }

    #[test]
    fn call_events_match_core() {
        let c = [
            ("CALL_IN", PRIVNUM_CALL_EVENT_CALL_IN),
            ("CALL_OUT", PRIVNUM_CALL_EVENT_CALL_OUT),
            ("ALERTING", PRIVNUM_CALL_EVENT_ALERTING),
            ("ANSWER", PRIVNUM_CALL_EVENT_ANSWER),
            ("COLLECT_INFO", PRIVNUM_CALL_EVENT_COLLECT_INFO),
            ("DISCONNECT", PRIVNUM_CALL_EVENT_DISCONNECT),
            ("OTHER", PRIVNUM_CALL_EVENT_OTHER),
        ];
        let mut core = Vec::new();
        for wire in [
            "callin",
            "callout",
            "alerting",
            "answer",
            "collectInfo",
            "disconnect",
            "somethingNew",
        ] {
            let body = format!(r#"{{"eventType":"{wire}","statusInfo":{{}}}}"#);
            let Push::Call(ev) = push::parse(body.as_bytes()).unwrap() else {
                panic!("{wire} is not a call event");
            };
            assert_eq!(ev.kind.name(), wire);
            let variant = format!("{:?}", ev.kind);
            let variant = variant.split('(').next().unwrap();
            core.push((screaming(variant), call_event_kind(&ev.kind)));
        }
        check_family("PRIVNUM_CALL_EVENT_", &c, core);
    }

    #[test]
    fn limits_match_core() {
        assert_eq!(PRIVNUM_MAX_CDRS, push::MAX_CDRS);
        assert_eq!(PRIVNUM_MAX_NUMBER_STATUSES, push::MAX_NUMBER_STATUSES);
        let d = defines("PRIVNUM_MAX_");
        assert_eq!(d.get("CDRS"), Some(&50));
        assert_eq!(d.get("NUMBER_STATUSES"), Some(&100));
    }

    #[test]
    fn views_point_into_the_handle_and_empty_is_not_absent() {
        let body = r#"{"eventType":"fee","feeLst":[{"icid":"","sessionId":"s\u0041","x":[1]}]}"#;
        let p = parse(body);
        let mut c = std::mem::MaybeUninit::<privnum_cdr>::uninit();
        // SAFETY: `p` is live, `c` is writable.
        assert_eq!(unsafe { privnum_push_cdr(p, 0, c.as_mut_ptr()) }, 0);
        // SAFETY: written on success.
        let c = unsafe { c.assume_init() };
        assert!(!c.icid.data.is_null() && c.icid.len == 0);
        assert!(c.sp_id.data.is_null() && c.sp_id.len == 0);
        // SAFETY: the view is valid while `p` lives.
        let sid = unsafe { std::slice::from_raw_parts(c.session_id.data, c.session_id.len) };
        assert_eq!(sid, b"sA");
        assert_eq!(c.key, c.session_id);
        let mut raw = privnum_str::absent();
        // SAFETY: as above.
        let r = unsafe { privnum_push_cdr_field(p, 0, b"x".as_ptr(), 1, &mut raw) };
        assert_eq!(r, 0);
        // SAFETY: as above.
        let raw = unsafe { std::slice::from_raw_parts(raw.data, raw.len) };
        assert_eq!(raw, b"[1]");
        // SAFETY: released once.
        unsafe { privnum_push_free(p) };
    }
}

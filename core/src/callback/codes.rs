//! Code tables: what the numbers in pushes and API responses mean.
//!
//! | type | where it appears | spec |
//! |---|---|---|
//! | [`FailReason`] | `stateCode` (disconnect event), `ulFailReason` (CDR) | PN §13.1, §13.2; VoiceCall §1.10 |
//! | [`Q850`] | `fwdUnaswRsn`, `callOutUnaswRsn` (CDR) | PN §13.3 (ITU-T Q.850) |
//! | [`ResultCode`] | `resultcode` of every customer → platform API | PN §12; VoiceCall §1.4 |
//! | [`NumberStatus`], [`UnavailableCause`] | `status` / `cause` of X-number status pushes | PN §9.5 |
//! | [`SendResult`] | `sendResult` of SMS pushes | PN §9.4 |
//!
//! Every type keeps codes it does not know: an unknown value is never an
//! error, it just has no description (and an `Unknown`/`Other` classification).
//! Descriptions are short English paraphrases written for this crate, not the
//! vendor's wording.
//!
//! ```
//! use privnum::callback::codes::{Action, FailCategory, FailReason, Party, ResultCode};
//!
//! let r = FailReason(8014);
//! assert_eq!(r.category(), FailCategory::NoBinding);
//! assert_eq!(FailReason(7503).hung_up_by(), Some(Party::Callee));
//!
//! let rc = ResultCode::parse("1010010");
//! assert_eq!(rc.action(Some(401)), Action::FixAuth); // "invalid digest"
//! assert_eq!(rc.action(Some(200)), Action::BackOff); // flow control
//! ```

use std::fmt;

// ---------------------------------------------------------------------------
// Tear-down points / hang-up reasons
// ---------------------------------------------------------------------------

/// The broad class of a [`FailReason`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailCategory {
    /// The call was answered and ended normally (code 0), or was ended
    /// deliberately rather than by a failure.
    Normal,
    /// The caller hung up (before or during ringing, or before transfer).
    CallerHungUp,
    /// The callee hung up or rejected the call.
    CalleeHungUp,
    /// The callee could not be reached: busy, no answer, powered off, number
    /// does not exist, suspended, ringing timeout, far-end failure tone.
    CalleeUnavailable,
    /// No binding matched the call (missing or expired AX/AXB/AXE/AXYB/X
    /// binding, no temporary callee, no callback record, unknown X).
    NoBinding,
    /// A policy blocked the call: direction not allowed, fixed-line caller,
    /// blacklist, frequency or rate control, time window, carrier
    /// interception, real-name rules, frozen account.
    Restricted,
    /// The platform or the application's setup failed the call: internal
    /// errors, missing resources or ports, audio files, TTS, recording,
    /// application configuration.
    Platform,
    /// The maximum call duration was reached.
    MaxDuration,
    /// A code this crate does not know.
    Unknown,
}

impl FailCategory {
    /// Every category.
    pub const ALL: &'static [Self] = &[
        Self::Normal,
        Self::CallerHungUp,
        Self::CalleeHungUp,
        Self::CalleeUnavailable,
        Self::NoBinding,
        Self::Restricted,
        Self::Platform,
        Self::MaxDuration,
        Self::Unknown,
    ];

    /// The category's name in snake_case (as in the test vectors).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::CallerHungUp => "caller_hung_up",
            Self::CalleeHungUp => "callee_hung_up",
            Self::CalleeUnavailable => "callee_unavailable",
            Self::NoBinding => "no_binding",
            Self::Restricted => "restricted",
            Self::Platform => "platform",
            Self::MaxDuration => "max_duration",
            Self::Unknown => "unknown",
        }
    }

    /// The category with this name (as in [`FailCategory::name`]), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for FailCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who ended a call, when the code says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    /// The calling party.
    Caller,
    /// The called party.
    Callee,
    /// The platform itself (e.g. maximum duration reached).
    Platform,
}

impl Party {
    /// Every party.
    pub const ALL: &'static [Self] = &[Self::Caller, Self::Callee, Self::Platform];

    /// The party's name in snake_case (as in the test vectors).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Caller => "caller",
            Self::Callee => "callee",
            Self::Platform => "platform",
        }
    }

    /// The party with this name (as in [`Party::name`]), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.name() == name)
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A tear-down point or hang-up reason: `stateCode` in disconnect events and
/// `ulFailReason` in CDRs (both use the same numbering), for PrivateNumber and
/// VoiceCall.
///
/// Any `u32` is a valid value; codes missing from the tables simply have no
/// description and the category [`FailCategory::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FailReason(pub u32);

use FailCategory as C;

/// `(code, description, category, who hung up)`, sorted by code.
///
/// Merged from PN §13.1/§13.2 and VoiceCall §1.10; where the two products
/// word a code differently, the description covers both.
#[rustfmt::skip]
const FAIL_TABLE: &[(u32, &str, FailCategory, Option<Party>)] = &[
    (0, "normal hang-up after the call was answered", C::Normal, None),
    (522, "not enough voice ports on the platform", C::Platform, None),
    (7001, "call-rate control on the developer account", C::Restricted, None),
    (7002, "call-rate control on the application", C::Restricted, None),
    (7003, "call-rate control on the display (fixed-line) number", C::Restricted, None),
    (7004, "callee is blacklisted", C::Restricted, None),
    (7005, "caller is blacklisted", C::Restricted, None),
    (7100, "application does not exist", C::Platform, None),
    (7101, "application has no privacy numbers", C::Platform, None),
    (7102, "platform internal error", C::Platform, None),
    (7103, "caller information is missing", C::Platform, None),
    (7104, "no AX binding for this call", C::NoBinding, None),
    (7105, "business type does not match the application", C::Platform, None),
    (7106, "application lacks the needed capability", C::Platform, None),
    (7107, "security announcement failed", C::Platform, None),
    (7108, "account is frozen", C::Restricted, None),
    (7109, "not enough voice ports on the platform", C::Platform, None),
    (7500, "dialled prefix is restricted", C::Restricted, None),
    (7501, "caller hung up before the callee rang", C::CallerHungUp, Some(Party::Caller)),
    (7502, "caller hung up while the callee was ringing", C::CallerHungUp, Some(Party::Caller)),
    (7503, "callee hung up", C::CalleeHungUp, Some(Party::Callee)),
    (7504, "callee rejected the call", C::CalleeHungUp, Some(Party::Callee)),
    (7505, "network error on the caller's side", C::Platform, None),
    (7506, "network error on the callee's side (e.g. malformed bound number)", C::CalleeUnavailable, None),
    (7507, "announcement audio file is missing", C::Platform, None),
    (7508, "routing failed", C::Platform, None),
    (7516, "caller hung up before the call was transferred (e.g. no AXE extension keyed)", C::CallerHungUp, Some(Party::Caller)),
    (8000, "platform internal error", C::Platform, None),
    (8001, "call not connected (rate control, carrier fault, callee off or busy)", C::CalleeUnavailable, None),
    (8002, "far end played a failure announcement", C::CalleeUnavailable, None),
    (8003, "ringing timed out", C::CalleeUnavailable, None),
    (8004, "hung up while ringing", C::CalleeUnavailable, None),
    (8005, "text-to-speech failed", C::Platform, None),
    (8006, "announcement audio file is missing", C::Platform, None),
    (8007, "announcement playback failed", C::Platform, None),
    (8008, "play-and-collect (digit collection) failed", C::Platform, None),
    (8009, "caller hung up before the call was answered", C::CallerHungUp, Some(Party::Caller)),
    (8010, "maximum call duration reached", C::MaxDuration, Some(Party::Platform)),
    (8011, "platform internal error", C::Platform, None),
    (8012, "invalid app_key", C::Platform, None),
    (8013, "AX call without a temporary callee", C::NoBinding, None),
    (8014, "no valid AXB or X-mode binding (missing binding, bad number, bad Block reply)", C::NoBinding, None),
    (8015, "recording failed", C::Platform, None),
    (8016, "call direction not allowed", C::Restricted, None),
    (8017, "hung up on instruction", C::Normal, None),
    (8018, "no service permission (e.g. no AX binding)", C::NoBinding, None),
    (8019, "no callback record (A called X with nothing to call back)", C::NoBinding, None),
    (8020, "service exception", C::Platform, None),
    (8022, "AXE binding missing or expired", C::NoBinding, None),
    (8023, "a fixed-line number may not be the caller", C::Restricted, None),
    (8024, "showing the real number is not allowed", C::Restricted, None),
    (8025, "X number does not exist (AXE)", C::NoBinding, None),
    (8030, "AXYB binding missing", C::NoBinding, None),
    (8031, "Y number allocation failed", C::Platform, None),
    (8032, "AXYB party called its own privacy number", C::Restricted, None),
    (8033, "empty extension", C::NoBinding, None),
    (8035, "no answer (about 90 s after transfer)", C::CalleeUnavailable, None),
    (8040, "platform internal error", C::Platform, None),
    (8041, "recording failed", C::Platform, None),
    (8042, "international inbound call restricted", C::Restricted, None),
    (8043, "international outbound call restricted", C::Restricted, None),
    (8044, "abnormal talk-time control", C::Restricted, None),
    (8046, "abnormal answer-rate control", C::Restricted, None),
    (8047, "caller frequency control", C::Restricted, None),
    (8048, "callee frequency control", C::Restricted, None),
    (8049, "service-number frequency control", C::Restricted, None),
    (8050, "calls not allowed in this time window", C::Restricted, None),
    (8051, "sub-enterprise suspended", C::Restricted, None),
    (8055, "X number lacks call or SMS permission", C::Restricted, None),
    (8056, "test-call control", C::Restricted, None),
    (8057, "call-direction control", C::Restricted, None),
    (8058, "practitioner has not completed real-name registration", C::Restricted, None),
    (8059, "intercepted by the carrier", C::Restricted, None),
    (8100, "callee number does not exist", C::CalleeUnavailable, None),
    (8101, "callee did not answer", C::CalleeUnavailable, None),
    (8102, "callee busy", C::CalleeUnavailable, None),
    (8103, "callee temporarily unreachable", C::CalleeUnavailable, None),
    (8104, "callee powered off or unreachable", C::CalleeUnavailable, None),
    (8105, "callee suspended (VoiceCall: or callee hung up)", C::CalleeUnavailable, None),
];

/// The control-code range of PN §13.1: codes in it that the tables do not
/// list are still policy blocks.
const CONTROL_RANGE: std::ops::RangeInclusive<u32> = 8042..=8059;

impl FailReason {
    /// Normal hang-up after answer.
    pub const NORMAL: Self = Self(0);

    fn entry(self) -> Option<&'static (u32, &'static str, FailCategory, Option<Party>)> {
        FAIL_TABLE
            .binary_search_by_key(&self.0, |e| e.0)
            .ok()
            .and_then(|i| FAIL_TABLE.get(i))
    }

    /// The numeric code.
    #[must_use]
    pub const fn code(self) -> u32 {
        self.0
    }

    /// A short description, or `None` for a code not in the tables.
    #[must_use]
    pub fn description(self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// Whether the code is in the tables (has a description).
    #[must_use]
    pub fn is_known(self) -> bool {
        self.entry().is_some()
    }

    /// Whether this is code 0, a normal hang-up after answer.
    #[must_use]
    pub const fn is_normal(self) -> bool {
        self.0 == 0
    }

    /// The broad class of the code.
    ///
    /// Codes in 8042–8059 that the tables do not list are
    /// [`FailCategory::Restricted`] (PN §13.1 calls that whole range control
    /// codes); any other unlisted code is [`FailCategory::Unknown`].
    #[must_use]
    pub fn category(self) -> FailCategory {
        match self.entry() {
            Some(e) => e.2,
            None if CONTROL_RANGE.contains(&self.0) => FailCategory::Restricted,
            None => FailCategory::Unknown,
        }
    }

    /// Who ended the call, only when the code itself says so: the caller for
    /// 7501, 7502, 7516 and 8009; the callee for 7503 and 7504; the platform
    /// for 8010 (maximum duration). `None` otherwise, including code 0 (which
    /// does not say who hung up) and unknown codes.
    #[must_use]
    pub fn hung_up_by(self) -> Option<Party> {
        self.entry().and_then(|e| e.3)
    }

    /// Every code in the tables, in ascending order.
    pub fn known_codes() -> impl Iterator<Item = Self> {
        FAIL_TABLE.iter().map(|e| Self(e.0))
    }
}

impl From<u32> for FailReason {
    fn from(code: u32) -> Self {
        Self(code)
    }
}

impl fmt::Display for FailReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, self.0, self.description())
    }
}

fn display_code(
    f: &mut fmt::Formatter<'_>,
    code: impl fmt::Display,
    desc: Option<&str>,
) -> fmt::Result {
    match desc {
        Some(d) => write!(f, "{code} ({d})"),
        None => write!(f, "{code}"),
    }
}

// ---------------------------------------------------------------------------
// Q.850
// ---------------------------------------------------------------------------

/// An ITU-T Q.850 cause value: `fwdUnaswRsn` (why the second leg was not
/// answered) and `callOutUnaswRsn` in CDRs.
///
/// Any `u32` is a valid value; causes not listed in PN §13.3 have no
/// description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Q850(pub u32);

/// `(cause, standard name)`, sorted. Exactly the values PN §13.3 lists.
#[rustfmt::skip]
const Q850_TABLE: &[(u32, &str)] = &[
    (0, "no cause (not applicable)"),
    (1, "unallocated (unassigned) number"),
    (2, "no route to specified transit network"),
    (3, "no route to destination"),
    (4, "send special information tone"),
    (5, "misdialled trunk prefix"),
    (6, "channel unacceptable"),
    (7, "call awarded and being delivered in an established channel"),
    (8, "preemption"),
    (9, "preemption, circuit reserved for reuse"),
    (16, "normal call clearing"),
    (17, "user busy"),
    (18, "no user responding"),
    (19, "no answer from user (user alerted)"),
    (20, "subscriber absent"),
    (21, "call rejected"),
    (22, "number changed"),
    (23, "redirection to new destination"),
    (25, "exchange routing error"),
    (26, "non-selected user clearing"),
    (27, "destination out of order"),
    (28, "invalid number format (address incomplete)"),
    (29, "facility rejected"),
    (30, "response to STATUS ENQUIRY"),
    (31, "normal, unspecified"),
    (34, "no circuit/channel available"),
    (38, "network out of order"),
    (39, "permanent frame mode connection out of service"),
    (40, "permanent frame mode connection operational"),
    (41, "temporary failure"),
    (42, "switching equipment congestion"),
    (43, "access information discarded"),
    (44, "requested circuit/channel not available"),
    (46, "precedence call blocked"),
    (47, "resource unavailable, unspecified"),
    (49, "quality of service not available"),
    (50, "requested facility not subscribed"),
    (53, "outgoing calls barred within CUG"),
    (55, "incoming calls barred within CUG"),
    (57, "bearer capability not authorized"),
    (58, "bearer capability not presently available"),
    (62, "inconsistency in designated outgoing access information and subscriber class"),
    (63, "service or option not available, unspecified"),
    (65, "bearer capability not implemented"),
    (66, "channel type not implemented"),
    (69, "requested facility not implemented"),
    (70, "only restricted digital information bearer capability is available"),
    (79, "service or option not implemented, unspecified"),
    (81, "invalid call reference value"),
    (82, "identified channel does not exist"),
    (83, "a suspended call exists, but this call identity does not"),
    (84, "call identity in use"),
    (85, "no call suspended"),
    (86, "call having the requested call identity has been cleared"),
    (87, "user not member of CUG"),
    (88, "incompatible destination"),
    (90, "non-existent CUG"),
    (91, "invalid transit network selection"),
    (95, "invalid message, unspecified"),
    (96, "mandatory information element is missing"),
    (97, "message type non-existent or not implemented"),
    (98, "message not compatible with call state or message type non-existent or not implemented"),
    (99, "information element/parameter non-existent or not implemented"),
    (100, "invalid information element contents"),
    (101, "message not compatible with call state"),
    (102, "recovery on timer expiry"),
    (103, "parameter non-existent or not implemented, passed on"),
    (110, "message with unrecognized parameter, discarded"),
    (111, "protocol error, unspecified"),
    (127, "interworking, unspecified"),
];

impl Q850 {
    /// The numeric cause value.
    #[must_use]
    pub const fn code(self) -> u32 {
        self.0
    }

    /// The standard Q.850 name of the cause, or `None` for a value not
    /// listed in PN §13.3.
    #[must_use]
    pub fn description(self) -> Option<&'static str> {
        Q850_TABLE
            .binary_search_by_key(&self.0, |e| e.0)
            .ok()
            .and_then(|i| Q850_TABLE.get(i))
            .map(|e| e.1)
    }

    /// Whether the cause is listed (has a description).
    #[must_use]
    pub fn is_known(self) -> bool {
        self.description().is_some()
    }

    /// Whether the cause means nothing went wrong: 0 (no cause) or 16
    /// (normal call clearing).
    #[must_use]
    pub const fn is_normal(self) -> bool {
        matches!(self.0, 0 | 16)
    }

    /// Every listed cause, in ascending order.
    pub fn known_codes() -> impl Iterator<Item = Self> {
        Q850_TABLE.iter().map(|e| Self(e.0))
    }
}

impl From<u32> for Q850 {
    fn from(code: u32) -> Self {
        Self(code)
    }
}

impl fmt::Display for Q850 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, self.0, self.description())
    }
}

// ---------------------------------------------------------------------------
// API result codes
// ---------------------------------------------------------------------------

/// What a client should do about a [`ResultCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// The request succeeded.
    Success,
    /// A transient platform error: retry a limited number of times with
    /// backoff (see [`ResultCode::max_retries`]). Do not blindly retry a
    /// non-idempotent request (bind POST) after a timeout: query first
    /// whether it took effect.
    Retry,
    /// Throttling: wait at least [`Action::BACK_OFF_SECS`] seconds, then retry.
    BackOff,
    /// The request itself is wrong (parameter, format, URI): fix it.
    FixInput,
    /// The credentials or the authentication header are wrong: fix them.
    FixAuth,
    /// The signature's `Created` time is too far from the server's clock: fix
    /// the clock (or apply an offset), regenerate the header, retry once.
    FixClock,
    /// The thing already exists or is already bound.
    Conflict,
    /// The binding, record, number or session referred to does not exist
    /// (for this application).
    NotFound,
    /// No idle resource (number, extension) or a quantity limit was reached:
    /// choose different parameters.
    Exhausted,
    /// The account, application, number or caller is not allowed right now
    /// (frozen, suspended, IP not allowlisted, blacklisted, time window).
    Forbidden,
    /// A code this crate does not know: treat as a failure, do not retry.
    Unknown,
}

impl Action {
    /// Minimum wait, in seconds, before retrying after [`Action::BackOff`].
    pub const BACK_OFF_SECS: u64 = 60;

    /// Every action.
    pub const ALL: &'static [Self] = &[
        Self::Success,
        Self::Retry,
        Self::BackOff,
        Self::FixInput,
        Self::FixAuth,
        Self::FixClock,
        Self::Conflict,
        Self::NotFound,
        Self::Exhausted,
        Self::Forbidden,
        Self::Unknown,
    ];

    /// The action's name in snake_case (as in the test vectors).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Retry => "retry",
            Self::BackOff => "back_off",
            Self::FixInput => "fix_input",
            Self::FixAuth => "fix_auth",
            Self::FixClock => "fix_clock",
            Self::Conflict => "conflict",
            Self::NotFound => "not_found",
            Self::Exhausted => "exhausted",
            Self::Forbidden => "forbidden",
            Self::Unknown => "unknown",
        }
    }

    /// The action with this name (as in [`Action::name`]), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Whether sending the same request again, unchanged, may succeed:
    /// [`Action::Retry`] and [`Action::BackOff`] only. [`Action::FixClock`]
    /// needs a clock fix first, so it is not counted.
    #[must_use]
    pub const fn retryable(self) -> bool {
        matches!(self, Self::Retry | Self::BackOff)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Default retry budget for [`Action::Retry`] and [`Action::BackOff`].
const RETRY_LIMIT: u32 = 3;

/// The ambiguous code: "invalid digest" (HTTP 401) or flow control (otherwise).
const AMBIGUOUS_1010010: u32 = 1_010_010;

/// `(code, description, action)`, sorted by code. PN §12 and VoiceCall §1.4.
/// 1010010 is handled separately (its meaning depends on the HTTP status).
///
/// Mapping choices: header/credential problems ⇒ `FixAuth` (including
/// 1010040, a key of an application in the wrong mode, and 1020176, repeated
/// authentication failures: retrying makes the block longer);
/// account/application state, IP allowlist, blacklist and time-window rules ⇒
/// `Forbidden`; "resource not applied" (1011004/1012001: X not ours, binding
/// gone) ⇒ `NotFound`; the concurrent-call-port quota (1020165) and
/// app-level flow control (1010009) ⇒ `BackOff`, as both clear with time.
#[rustfmt::skip]
const RESULT_TABLE: &[(u32, &str, Action)] = &[
    (0, "success", Action::Success),
    (1_010_001, "platform internal error", Action::Retry),
    (1_010_002, "invalid request (a parameter is missing or malformed)", Action::FixInput),
    (1_010_003, "invalid app_key (or wrong base URL)", Action::FixAuth),
    (1_010_004, "app_key is not in a usable state", Action::Forbidden),
    (1_010_006, "invalid REST API (wrong method or path)", Action::FixInput),
    (1_010_007, "account is not active (e.g. in arrears)", Action::Forbidden),
    (1_010_008, "app_key is not in a usable state (suspended)", Action::Forbidden),
    (1_010_009, "no more API calls allowed now (application flow control)", Action::BackOff),
    (1_010_011, "application may not use the commercial address", Action::Forbidden),
    (1_010_013, "Created is too far from server time", Action::FixClock),
    (1_010_021, "application unavailable", Action::Forbidden),
    (1_010_029, "subscriber is frozen (arrears)", Action::Forbidden),
    (1_010_040, "app_key may not call this API (application mode mismatch)", Action::FixAuth),
    (1_011_002, "not enough number resources (no idle X or X at its limit)", Action::Exhausted),
    (1_011_003, "limit of numbers per user reached", Action::Exhausted),
    (1_011_004, "number resource not applied to this application (or binding not found)", Action::NotFound),
    (1_011_005, "number already allocated to another user", Action::Conflict),
    (1_012_001, "number resource not applied to this application (or binding not found)", Action::NotFound),
    (1_012_007, "record does not exist", Action::NotFound),
    (1_012_008, "not enough number resources (no idle X or X at its limit)", Action::Exhausted),
    (1_012_010, "relation number already bound", Action::Conflict),
    (1_012_102, "number is blacklisted", Action::Forbidden),
    (1_013_102, "extension number already bound", Action::Conflict),
    (1_013_120, "sender IPv4 address not supplied", Action::FixInput),
    (1_013_121, "calls not allowed in this time window", Action::Forbidden),
    (1_016_001, "record does not exist", Action::NotFound),
    (1_016_002, "record already exists", Action::Conflict),
    (1_020_150, "app_key is invalid", Action::FixAuth),
    (1_020_152, "invalid sessionId (unknown or finished call)", Action::NotFound),
    (1_020_165, "application's concurrent call-port quota exceeded", Action::BackOff),
    (1_020_166, "client IP is not in the allowlist", Action::Forbidden),
    (1_020_167, "no idle extension number", Action::Exhausted),
    (1_020_176, "repeated authentication failures; caller may be blocked for a while", Action::FixAuth),
    (1_023_001, "platform internal error", Action::Retry),
    (1_023_002, "platform response timeout", Action::Retry),
    (1_023_006, "Authorization header missing", Action::FixAuth),
    (1_023_007, "realm missing in Authorization", Action::FixAuth),
    (1_023_008, "profile missing in Authorization", Action::FixAuth),
    (1_023_009, "realm in Authorization must be SDP", Action::FixAuth),
    (1_023_010, "profile in Authorization must be UsernameToken", Action::FixAuth),
    (1_023_011, "type in Authorization must be Appkey", Action::FixAuth),
    (1_023_012, "type missing in Authorization", Action::FixAuth),
    (1_023_013, "Authorization is not WSSE", Action::FixAuth),
    (1_023_026, "X-WSSE header missing", Action::FixAuth),
    (1_023_027, "Username missing in X-WSSE", Action::FixAuth),
    (1_023_028, "Nonce missing in X-WSSE", Action::FixAuth),
    (1_023_029, "Created missing in X-WSSE", Action::FixAuth),
    (1_023_030, "PasswordDigest missing in X-WSSE", Action::FixAuth),
    (1_023_031, "Created has the wrong format", Action::FixAuth),
    (1_023_033, "X-AKSK header missing", Action::FixAuth),
    (1_023_034, "UserName missing in X-AKSK", Action::FixAuth),
    (1_023_035, "Nonce missing in X-AKSK", Action::FixAuth),
    (1_023_036, "Created missing in X-AKSK", Action::FixAuth),
    (1_023_037, "PasswordDigest missing in X-AKSK", Action::FixAuth),
    (1_023_038, "X-AKSK header format error (e.g. Created format or Nonce length)", Action::FixAuth),
];

const DESC_1010010: &str = "platform flow-control limit reached (with HTTP 401: invalid digest)";
const DESC_1010010_AUTH: &str = "invalid digest (signature does not match)";
const DESC_1010010_FLOW: &str = "platform flow-control limit reached";

/// A platform API `resultcode`, kept exactly as received.
///
/// On the wire it is a string (`"0"`, `"1012010"`); [`ResultCode::parse`]
/// accepts any string, numeric or not. A code is looked up only when it is
/// canonical decimal (ASCII digits, no sign, no leading zero, no
/// surrounding spaces); anything else is simply unknown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResultCode {
    raw: String,
}

impl ResultCode {
    /// Keep `s` as a result code. Never fails.
    #[must_use]
    pub fn parse(s: &str) -> Self {
        Self { raw: s.to_owned() }
    }

    /// The code as received.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The numeric value, if the code is canonical decimal that fits a `u32`.
    #[must_use]
    pub fn number(&self) -> Option<u32> {
        let b = self.raw.as_bytes();
        let canonical = !b.is_empty()
            && b.iter().all(u8::is_ascii_digit)
            && (b.len() == 1 || b.first() != Some(&b'0'));
        if canonical {
            self.raw.parse().ok()
        } else {
            None
        }
    }

    fn entry(&self) -> Option<&'static (u32, &'static str, Action)> {
        let n = self.number()?;
        RESULT_TABLE
            .binary_search_by_key(&n, |e| e.0)
            .ok()
            .and_then(|i| RESULT_TABLE.get(i))
    }

    /// Whether the code is `"0"`.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.raw == "0"
    }

    /// Whether the code is in the tables (has a description).
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.description().is_some()
    }

    /// A short description, or `None` for an unknown code. For 1010010 it
    /// mentions both meanings; see [`ResultCode::describe`].
    #[must_use]
    pub fn description(&self) -> Option<&'static str> {
        if self.number() == Some(AMBIGUOUS_1010010) {
            return Some(DESC_1010010);
        }
        self.entry().map(|e| e.1)
    }

    /// Like [`ResultCode::description`], but resolves 1010010 using the HTTP
    /// status: 401 ⇒ invalid digest, anything else ⇒ flow control.
    #[must_use]
    pub fn describe(&self, http_status: Option<u16>) -> Option<&'static str> {
        if self.number() == Some(AMBIGUOUS_1010010) {
            return Some(if http_status == Some(401) {
                DESC_1010010_AUTH
            } else {
                DESC_1010010_FLOW
            });
        }
        self.description()
    }

    /// What to do about this code.
    ///
    /// The HTTP status only matters for 1010010, which older tables list as
    /// "401 invalid digest" and newer ones as platform flow control: with
    /// HTTP 401 it is [`Action::FixAuth`], otherwise [`Action::BackOff`].
    /// Unknown codes give [`Action::Unknown`] whatever the HTTP status.
    #[must_use]
    pub fn action(&self, http_status: Option<u16>) -> Action {
        if self.is_success() {
            return Action::Success;
        }
        if self.number() == Some(AMBIGUOUS_1010010) {
            return if http_status == Some(401) {
                Action::FixAuth
            } else {
                Action::BackOff
            };
        }
        self.entry().map_or(Action::Unknown, |e| e.2)
    }

    /// Whether the same request may be sent again unchanged
    /// ([`Action::retryable`] of [`ResultCode::action`]).
    #[must_use]
    pub fn retryable(&self, http_status: Option<u16>) -> bool {
        self.action(http_status).retryable()
    }

    /// The recommended number of retries: 0 unless retryable; 1 for 1023002
    /// (response timeout: resend once, then escalate); otherwise 3.
    #[must_use]
    pub fn max_retries(&self, http_status: Option<u16>) -> u32 {
        if !self.retryable(http_status) {
            0
        } else if self.number() == Some(1_023_002) {
            1
        } else {
            RETRY_LIMIT
        }
    }

    /// Every code in the tables (including 1010010), in ascending order.
    pub fn known_codes() -> impl Iterator<Item = Self> {
        let mut codes: Vec<u32> = RESULT_TABLE.iter().map(|e| e.0).collect();
        codes.push(AMBIGUOUS_1010010);
        codes.sort_unstable();
        codes.into_iter().map(|n| Self { raw: n.to_string() })
    }
}

impl From<&str> for ResultCode {
    fn from(s: &str) -> Self {
        Self::parse(s)
    }
}

impl From<String> for ResultCode {
    fn from(raw: String) -> Self {
        Self { raw }
    }
}

impl std::str::FromStr for ResultCode {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, &self.raw, self.description())
    }
}

// ---------------------------------------------------------------------------
// X-number status pushes
// ---------------------------------------------------------------------------

/// Parse a wire number: ASCII digits only (no sign, no spaces), fits `u32`.
fn wire_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The `status` of an X number in a `numStatus` push.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberStatus {
    /// `"5"`: the number works normally.
    Normal,
    /// `"9"`: paused; binding, calls and SMS all fail.
    Paused,
    /// `"10"`: unavailable; binding, calls and SMS all fail. The push's
    /// `cause` says why ([`UnavailableCause`]).
    Unavailable,
    /// `"11"`: bind-frozen; no new bindings, existing ones keep working.
    BindFrozen,
    /// Any other numeric status, kept as-is.
    Other(u32),
}

impl NumberStatus {
    /// Parse the wire value; `None` only if it is not a decimal number.
    #[must_use]
    pub fn from_wire(s: &str) -> Option<Self> {
        wire_u32(s).map(Self::from_code)
    }

    /// The status for a numeric code.
    #[must_use]
    pub const fn from_code(code: u32) -> Self {
        match code {
            5 => Self::Normal,
            9 => Self::Paused,
            10 => Self::Unavailable,
            11 => Self::BindFrozen,
            n => Self::Other(n),
        }
    }

    /// The numeric code.
    #[must_use]
    pub const fn code(self) -> u32 {
        match self {
            Self::Normal => 5,
            Self::Paused => 9,
            Self::Unavailable => 10,
            Self::BindFrozen => 11,
            Self::Other(n) => n,
        }
    }

    /// The status's name in snake_case (as in the test vectors); `"other"`
    /// for [`NumberStatus::Other`].
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Paused => "paused",
            Self::Unavailable => "unavailable",
            Self::BindFrozen => "bind_frozen",
            Self::Other(_) => "other",
        }
    }

    /// A short description, or `None` for [`NumberStatus::Other`].
    #[must_use]
    pub const fn description(self) -> Option<&'static str> {
        match self {
            Self::Normal => Some("normal"),
            Self::Paused => Some("paused: binding, calls and SMS fail"),
            Self::Unavailable => Some("unavailable: binding, calls and SMS fail"),
            Self::BindFrozen => Some("bind-frozen: no new bindings, existing ones still work"),
            Self::Other(_) => None,
        }
    }

    /// Whether existing bindings still carry calls and SMS: normal and
    /// bind-frozen numbers. Unknown statuses count as not usable.
    #[must_use]
    pub const fn binding_usable(self) -> bool {
        matches!(self, Self::Normal | Self::BindFrozen)
    }

    /// Whether new bindings on the number are allowed: only when normal.
    #[must_use]
    pub const fn new_bindings_allowed(self) -> bool {
        matches!(self, Self::Normal)
    }
}

impl fmt::Display for NumberStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, self.code(), self.description())
    }
}

/// The `cause` of an unavailable X number (sent with status `"10"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnavailableCause {
    /// `"1"`: the number was deleted.
    NumberDeleted,
    /// `"2"`: the account is in arrears.
    Arrears,
    /// `"3"`: the number is suspended (stopped service).
    Suspended,
    /// `"5"`: the carrier restricted calls.
    CarrierRestriction,
    /// `"6"`: a restriction was lifted.
    RestrictionLifted,
    /// `"7"`: unconditional call forwarding is enabled on X.
    ForwardUnconditional,
    /// `"8"`: call forwarding on no answer is enabled on X.
    ForwardNoAnswer,
    /// `"9"`: call forwarding on busy is enabled on X.
    ForwardBusy,
    /// Any other numeric cause, kept as-is.
    Other(u32),
}

impl UnavailableCause {
    /// Parse the wire value; `None` only if it is not a decimal number.
    #[must_use]
    pub fn from_wire(s: &str) -> Option<Self> {
        wire_u32(s).map(Self::from_code)
    }

    /// The cause for a numeric code.
    #[must_use]
    pub const fn from_code(code: u32) -> Self {
        match code {
            1 => Self::NumberDeleted,
            2 => Self::Arrears,
            3 => Self::Suspended,
            5 => Self::CarrierRestriction,
            6 => Self::RestrictionLifted,
            7 => Self::ForwardUnconditional,
            8 => Self::ForwardNoAnswer,
            9 => Self::ForwardBusy,
            n => Self::Other(n),
        }
    }

    /// The numeric code.
    #[must_use]
    pub const fn code(self) -> u32 {
        match self {
            Self::NumberDeleted => 1,
            Self::Arrears => 2,
            Self::Suspended => 3,
            Self::CarrierRestriction => 5,
            Self::RestrictionLifted => 6,
            Self::ForwardUnconditional => 7,
            Self::ForwardNoAnswer => 8,
            Self::ForwardBusy => 9,
            Self::Other(n) => n,
        }
    }

    /// The cause's name in snake_case (as in the test vectors); `"other"`
    /// for [`UnavailableCause::Other`].
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::NumberDeleted => "number_deleted",
            Self::Arrears => "arrears",
            Self::Suspended => "suspended",
            Self::CarrierRestriction => "carrier_restriction",
            Self::RestrictionLifted => "restriction_lifted",
            Self::ForwardUnconditional => "forward_unconditional",
            Self::ForwardNoAnswer => "forward_no_answer",
            Self::ForwardBusy => "forward_busy",
            Self::Other(_) => "other",
        }
    }

    /// A short description, or `None` for [`UnavailableCause::Other`].
    #[must_use]
    pub const fn description(self) -> Option<&'static str> {
        match self {
            Self::NumberDeleted => Some("number deleted"),
            Self::Arrears => Some("account in arrears"),
            Self::Suspended => Some("number suspended"),
            Self::CarrierRestriction => Some("carrier restricted calls"),
            Self::RestrictionLifted => Some("restriction lifted"),
            Self::ForwardUnconditional => Some("unconditional call forwarding enabled on X"),
            Self::ForwardNoAnswer => Some("no-answer call forwarding enabled on X"),
            Self::ForwardBusy => Some("busy call forwarding enabled on X"),
            Self::Other(_) => None,
        }
    }
}

impl fmt::Display for UnavailableCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, self.code(), self.description())
    }
}

// ---------------------------------------------------------------------------
// SMS sendResult
// ---------------------------------------------------------------------------

/// The `sendResult` of an SMS push.
///
/// Only 0 (success) is certain. Other values (2, 12 and 13 have been seen)
/// are unconfirmed in the spec, so they are kept as-is with no description
/// and are not treated as success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SendResult(pub u32);

impl SendResult {
    /// The numeric value.
    #[must_use]
    pub const fn code(self) -> u32 {
        self.0
    }

    /// `Some("success")` for 0; `None` for every other (unconfirmed) value.
    #[must_use]
    pub const fn description(self) -> Option<&'static str> {
        if self.0 == 0 { Some("success") } else { None }
    }

    /// Whether the value is 0.
    #[must_use]
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }
}

impl From<u32> for SendResult {
    fn from(code: u32) -> Self {
        Self(code)
    }
}

impl fmt::Display for SendResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_code(f, self.0, self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(FAIL_TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(Q850_TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(RESULT_TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(RESULT_TABLE.iter().all(|e| e.0 != AMBIGUOUS_1010010));
    }

    #[test]
    fn every_known_code_is_described_and_classified() {
        for r in FailReason::known_codes() {
            assert!(r.description().is_some_and(|d| !d.is_empty()), "{r}");
            assert_ne!(r.category(), FailCategory::Unknown, "{r}");
        }
        for q in Q850::known_codes() {
            assert!(q.is_known(), "{q}");
        }
        for c in ResultCode::known_codes() {
            assert!(c.is_known(), "{c}");
            assert_ne!(c.action(None), Action::Unknown, "{c}");
            assert_ne!(c.action(Some(401)), Action::Unknown, "{c}");
        }
    }

    #[test]
    fn fail_reason_categories() {
        assert!(FailReason(0).is_normal());
        assert_eq!(FailReason(0).category(), FailCategory::Normal);
        assert_eq!(FailReason(0).hung_up_by(), None);
        for c in [8014, 8022, 8030, 7104, 8018, 8019, 8013, 8025] {
            assert_eq!(FailReason(c).category(), FailCategory::NoBinding, "{c}");
        }
        for c in [8016, 8023, 7004, 7005, 8047, 8059, 8058, 7001] {
            assert_eq!(FailReason(c).category(), FailCategory::Restricted, "{c}");
        }
        for c in [8100, 8101, 8102, 8104, 8105] {
            assert_eq!(
                FailReason(c).category(),
                FailCategory::CalleeUnavailable,
                "{c}"
            );
        }
        for c in [7102, 7507, 8006, 8015, 7109, 522] {
            assert_eq!(FailReason(c).category(), FailCategory::Platform, "{c}");
        }
        assert_eq!(FailReason(8010).category(), FailCategory::MaxDuration);
        assert_eq!(FailReason(8010).hung_up_by(), Some(Party::Platform));
        for c in [7501, 7502, 8009, 7516] {
            assert_eq!(FailReason(c).hung_up_by(), Some(Party::Caller), "{c}");
            assert_eq!(FailReason(c).category(), FailCategory::CallerHungUp, "{c}");
        }
        for c in [7503, 7504] {
            assert_eq!(FailReason(c).hung_up_by(), Some(Party::Callee), "{c}");
            assert_eq!(FailReason(c).category(), FailCategory::CalleeHungUp, "{c}");
        }
    }

    #[test]
    fn fail_reason_unknown() {
        let r = FailReason(12345);
        assert_eq!(r.description(), None);
        assert_eq!(r.category(), FailCategory::Unknown);
        assert_eq!(r.hung_up_by(), None);
        assert!(!r.is_normal());
        assert_eq!(r.to_string(), "12345");
        assert_eq!(FailReason(u32::MAX).category(), FailCategory::Unknown);
        // Unlisted code inside the control range.
        assert_eq!(FailReason(8045).description(), None);
        assert_eq!(FailReason(8045).category(), FailCategory::Restricted);
    }

    #[test]
    fn display() {
        assert_eq!(FailReason(7503).to_string(), "7503 (callee hung up)");
        assert_eq!(Q850(17).to_string(), "17 (user busy)");
        assert_eq!(Q850(200).to_string(), "200");
        assert_eq!(ResultCode::parse("abc").to_string(), "abc");
        assert_eq!(
            ResultCode::parse("1016002").to_string(),
            "1016002 (record already exists)"
        );
        assert_eq!(NumberStatus::Other(7).to_string(), "7");
        assert_eq!(
            UnavailableCause::Arrears.to_string(),
            "2 (account in arrears)"
        );
        assert_eq!(SendResult(0).to_string(), "0 (success)");
        assert_eq!(SendResult(2).to_string(), "2");
    }

    #[test]
    fn q850() {
        assert!(Q850(0).is_normal());
        assert!(Q850(16).is_normal());
        assert!(!Q850(17).is_normal());
        assert_eq!(
            Q850(1).description(),
            Some("unallocated (unassigned) number")
        );
        assert_eq!(Q850(127).description(), Some("interworking, unspecified"));
        assert_eq!(Q850(24).description(), None);
        // The doc lists 81–88 and 95–103 as ranges.
        for c in (81..=88).chain(95..=103) {
            assert!(Q850(c).is_known(), "{c}");
        }
        assert_eq!(Q850::known_codes().count(), 70);
    }

    #[test]
    fn result_code_parse_and_lookup() {
        let ok = ResultCode::parse("0");
        assert!(ok.is_success());
        assert_eq!(ok.action(Some(200)), Action::Success);
        assert!(!ok.retryable(None));

        for s in ["abc", "", " 0", "00", "+0", "01010002", "99999999999"] {
            let c = ResultCode::parse(s);
            assert_eq!(c.as_str(), s);
            assert!(!c.is_success(), "{s:?}");
            assert_eq!(c.description(), None, "{s:?}");
            assert_eq!(c.action(Some(500)), Action::Unknown, "{s:?}");
        }
        assert_eq!(
            "1012010".parse::<ResultCode>().map(|c| c.action(None)),
            Ok(Action::Conflict)
        );
    }

    #[test]
    fn result_code_actions() {
        let a = |s: &str, h: Option<u16>| ResultCode::parse(s).action(h);
        assert_eq!(a("1010010", Some(401)), Action::FixAuth);
        assert_eq!(a("1010010", None), Action::BackOff);
        assert_eq!(a("1010010", Some(200)), Action::BackOff);
        assert_eq!(a("1010013", Some(401)), Action::FixClock);
        assert_eq!(a("1010002", Some(403)), Action::FixInput);
        assert_eq!(a("1011002", None), Action::Exhausted);
        assert_eq!(a("1020166", None), Action::Forbidden);
        assert_eq!(a("1016001", None), Action::NotFound);
        assert_eq!(a("1010001", Some(500)), Action::Retry);

        let rc = ResultCode::parse("1010010");
        assert_eq!(rc.describe(Some(401)), Some(DESC_1010010_AUTH));
        assert_eq!(rc.describe(None), Some(DESC_1010010_FLOW));
        assert_eq!(rc.description(), Some(DESC_1010010));
        assert!(rc.retryable(None));
        assert!(!rc.retryable(Some(401)));

        assert_eq!(ResultCode::parse("1023002").max_retries(Some(500)), 1);
        assert_eq!(ResultCode::parse("1023001").max_retries(Some(500)), 3);
        assert_eq!(ResultCode::parse("1010002").max_retries(None), 0);
        assert!(!ResultCode::parse("1010013").retryable(None));
    }

    #[test]
    fn number_status() {
        assert_eq!(NumberStatus::from_wire("5"), Some(NumberStatus::Normal));
        assert_eq!(NumberStatus::from_wire("9"), Some(NumberStatus::Paused));
        assert_eq!(
            NumberStatus::from_wire("10"),
            Some(NumberStatus::Unavailable)
        );
        assert_eq!(
            NumberStatus::from_wire("11"),
            Some(NumberStatus::BindFrozen)
        );
        assert_eq!(NumberStatus::from_wire("4"), Some(NumberStatus::Other(4)));
        assert_eq!(NumberStatus::from_wire(""), None);
        assert_eq!(NumberStatus::from_wire("x"), None);
        assert_eq!(NumberStatus::from_wire("-5"), None);
        assert_eq!(NumberStatus::from_wire("99999999999"), None);
        assert!(NumberStatus::BindFrozen.binding_usable());
        assert!(!NumberStatus::BindFrozen.new_bindings_allowed());
        assert!(NumberStatus::Normal.new_bindings_allowed());
        assert!(!NumberStatus::Paused.binding_usable());
        assert!(!NumberStatus::Other(4).binding_usable());
        for c in 0..20 {
            assert_eq!(NumberStatus::from_code(c).code(), c);
            assert_eq!(UnavailableCause::from_code(c).code(), c);
        }
    }

    #[test]
    fn unavailable_cause() {
        for (s, want) in [
            ("1", UnavailableCause::NumberDeleted),
            ("2", UnavailableCause::Arrears),
            ("3", UnavailableCause::Suspended),
            ("5", UnavailableCause::CarrierRestriction),
            ("6", UnavailableCause::RestrictionLifted),
            ("7", UnavailableCause::ForwardUnconditional),
            ("8", UnavailableCause::ForwardNoAnswer),
            ("9", UnavailableCause::ForwardBusy),
        ] {
            assert_eq!(UnavailableCause::from_wire(s), Some(want));
            assert!(want.description().is_some());
        }
        assert_eq!(
            UnavailableCause::from_wire("4"),
            Some(UnavailableCause::Other(4))
        );
        assert_eq!(UnavailableCause::Other(4).description(), None);
        assert_eq!(UnavailableCause::from_wire("two"), None);
    }

    #[test]
    fn send_result() {
        assert!(SendResult(0).is_success());
        assert_eq!(SendResult(0).description(), Some("success"));
        for c in [1, 2, 12, 13] {
            assert!(!SendResult(c).is_success());
            assert_eq!(SendResult(c).description(), None);
        }
    }

    #[test]
    fn names_round_trip() {
        for c in FailCategory::ALL {
            assert_eq!(FailCategory::from_name(c.name()), Some(*c));
        }
        for p in Party::ALL {
            assert_eq!(Party::from_name(p.name()), Some(*p));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
    }
}

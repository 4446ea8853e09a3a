//! Simulated calls: a caller dials X, the application's engine routes the
//! call ([`crate::engine::Engine::route`]), and the platform's pushes for
//! it are produced (PN §9.2, §9.3, §15).
//!
//! | outcome | call events | CDR (`ulFailReason`, `fwdUnaswRsn`, SIP) |
//! |---|---|---|
//! | answered | callin, callout, alerting, answer, disconnect (0) | 0, 0, 0 |
//! | answered past `maxDuration` | … disconnect (8010) | 8010 |
//! | not answered | callin, callout, alerting, disconnect (8101) | 8101, 19, 480 |
//! | busy | callin, callout, disconnect (8102) | 8102, 17, 486 |
//! | not routed (no binding, direction, …) | callin, disconnect (8014, 8016, 8023, …) | same code |
//!
//! One `sessionId` (`<n>_<n>_4294967295_<yyyyMMddHHmmss>@callenabler<N>.huaweicaas.com`)
//! runs through a call's events and its CDR; the CDR has an `icid`
//! (`<32 hex>.<n>.<n>.<n>`). The call is laid out in time from the moment
//! it is simulated (callin, then the outbound leg a second later, ringing,
//! answer, talk); its pushes are all sent at once, in order, rather than
//! as the call would unfold. Times are UTC `yyyy-MM-dd HH:mm:ss`.

use std::fmt;

use serde_json::{Map, Value, json};

use crate::engine::{Binding, CloseReason, Ext, Mode, Route, Shape};
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

use super::config::AppConfig;

/// What happens to a call once it is routed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallOutcome {
    /// The callee answers and talks for `talk_secs` seconds (cut at the
    /// binding's `maxDuration`).
    Answered {
        /// Seconds from answer to hang-up.
        talk_secs: u32,
    },
    /// The callee's phone rings and nobody answers.
    NoAnswer,
    /// The callee is busy.
    Busy,
}

impl CallOutcome {
    /// `answered`, `no_answer` or `busy`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Answered { .. } => "answered",
            Self::NoAnswer => "no_answer",
            Self::Busy => "busy",
        }
    }
}

/// A call to simulate: who dials which privacy number, and what happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimulatedCall {
    /// Who calls.
    pub caller: Number,
    /// The privacy number dialled (X); the application owning it handles
    /// the call.
    pub dialled: Number,
    /// What happens once routed.
    pub outcome: CallOutcome,
    /// Seconds the callee's phone rings before the answer (or before the
    /// caller gives up). Default 5.
    pub ring_secs: u32,
    /// Whether the call is recorded; `None` follows the binding's
    /// `recordFlag`. A call is recorded only when answered.
    pub record: Option<bool>,
    /// AXE: the extension the caller keys in after the prompt (a
    /// `collectInfo` event follows `callin`); `None`: none keyed.
    pub ext: Option<Ext>,
    /// Hold an answered call open: its events up to `answer` are pushed
    /// at once, and its `disconnect` and CDR when it ends: when `callStop`
    /// names its session, or once the emulator's clock has passed its
    /// talk time (checked when the clock is advanced and before each
    /// simulated call). A call that is not answered is never held.
    pub hold: bool,
}

impl SimulatedCall {
    /// `caller` dials `dialled`, the callee answers and they talk
    /// `talk_secs` seconds.
    #[must_use]
    pub fn answered(caller: Number, dialled: Number, talk_secs: u32) -> Self {
        Self::new(caller, dialled, CallOutcome::Answered { talk_secs })
    }

    /// `caller` dials `dialled` with this outcome, ringing 5 s, recording
    /// as the binding says.
    #[must_use]
    pub fn new(caller: Number, dialled: Number, outcome: CallOutcome) -> Self {
        Self {
            caller,
            dialled,
            outcome,
            ring_secs: 5,
            record: None,
            ext: None,
            hold: false,
        }
    }

    /// The same call with extension `ext` keyed in (AXE).
    #[must_use]
    pub fn with_extension(mut self, ext: Ext) -> Self {
        self.ext = Some(ext);
        self
    }

    /// The same call held open until stopped or its talk time is over on
    /// the emulator's clock (see [`SimulatedCall::hold`]).
    #[must_use]
    pub fn held(mut self) -> Self {
        self.hold = true;
        self
    }
}

/// How a simulated call was routed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallRoute {
    /// Bridged to `callee`, who saw `display`.
    Connected {
        /// The real callee.
        callee: Number,
        /// What the callee saw (X, or what an X-mode reply named).
        display: Number,
    },
    /// Not bridged.
    Closed {
        /// Why, as the engine decided.
        reason: CloseReason,
    },
    /// X mode: the application answered the `callin` Block push with
    /// `close` (stateCode 8017, "hung up on instruction").
    ClosedByApplication,
    /// X mode: the application gave no valid decision (no call-event URL,
    /// no HTTP 200 within the Block reply timeout, a reply that is not a
    /// valid `connect` or `close`), so the platform ends the call as an
    /// invalid X call (stateCode 8014, PN §7).
    NoDecision {
        /// What was wrong (a short English explanation without numbers).
        why: String,
    },
}

impl CallRoute {
    /// `connect` or `close`.
    #[must_use]
    pub const fn operation(&self) -> &'static str {
        match self {
            Self::Connected { .. } => "connect",
            _ => "close",
        }
    }
}

/// What a simulated call produced.
#[derive(Clone, PartialEq, Eq)]
pub struct CallReport {
    /// The application that handled it.
    pub app_key: String,
    /// `sessionId` of its events and CDR.
    pub session_id: String,
    /// `icid` of its CDR.
    pub icid: String,
    /// The binding that routed it, if one did.
    pub subscription_id: Option<String>,
    /// How it was routed.
    pub route: CallRoute,
    /// The hang-up code of its `disconnect` event (PN §13.1; 0 normal).
    pub state_code: u32,
    /// Its call events in order (`callin`, …, `disconnect`).
    pub events: Vec<&'static str>,
    /// The ids of the pushes made for its events, in order (empty when the
    /// application has no call-event URL). In X mode the first is the
    /// `callin` Block push, sent and answered before this returns.
    pub push_ids: Vec<u64>,
    /// X mode: the id of the `callin` Block push whose reply decided the
    /// call (`None` when nobody was asked).
    pub block_push_id: Option<u64>,
    /// Whether its CDR was queued for a `fee` push (false when the
    /// application has no push URL, and while the call is held).
    pub cdr_queued: bool,
    /// Whether the call is held open (see [`SimulatedCall::hold`]): its
    /// `disconnect` and CDR come when it ends.
    pub live: bool,
    /// The recording's `recordObjectName` (the `fileName` of the download
    /// API), when the call is recorded and has ended.
    pub record_file: Option<String>,
}

impl fmt::Debug for CallReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallReport")
            .field("app_key", &self.app_key)
            .field("session_id", &self.session_id)
            .field("icid", &self.icid)
            .field("subscription_id", &self.subscription_id)
            .field("route", &self.route)
            .field("state_code", &self.state_code)
            .field("events", &self.events)
            .field("push_ids", &self.push_ids)
            .field("block_push_id", &self.block_push_id)
            .field("cdr_queued", &self.cdr_queued)
            .field("live", &self.live)
            .field("record_file", &self.record_file)
            .finish()
    }
}

/// The ids of one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CallIds {
    pub(crate) session_id: String,
    pub(crate) icid: String,
    /// `hostName` of the CDR (the host in `sessionId`).
    pub(crate) host: String,
}

impl CallIds {
    /// Fresh ids for call number `seq`, starting at `t0` (Unix seconds).
    pub(crate) fn new(seq: u64, t0: u64) -> Result<Self> {
        let mut r = [0u8; 20];
        getrandom::fill(&mut r).map_err(|e| {
            Error::new(
                ErrorKind::RandomUnavailable,
                format!("cannot make call ids: {e}"),
            )
        })?;
        let host = format!("callenabler{}.huaweicaas.com", 200 + u32::from(r[16] % 56));
        let compact = compact_time(t0)?;
        let session_id = format!(
            "{}_{}_4294967295_{compact}@{host}",
            1200 + u32::from(r[17] % 8),
            seq
        );
        let mut hex = String::with_capacity(32);
        for b in &r[..16] {
            hex.push_str(&format!("{b:02x}"));
        }
        let icid = format!("{hex}.{}.{}.{}", r[18] % 8 + 1, r[19] % 8 + 1, seq % 1000);
        Ok(Self {
            session_id,
            icid,
            host,
        })
    }
}

fn datetime(unix: u64) -> Result<time::OffsetDateTime> {
    i64::try_from(unix)
        .ok()
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the time is out of range"))
}

/// `yyyy-MM-dd HH:mm:ss` (UTC), the platform's time format in pushes.
pub(crate) fn platform_time(unix: u64) -> Result<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    datetime(unix)?
        .format(&fmt)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("time: {e}")))
}

/// `yyyyMMddHHmmss` (UTC), as in `sessionId`.
fn compact_time(unix: u64) -> Result<String> {
    let fmt = time::macros::format_description!("[year][month][day][hour][minute][second]");
    datetime(unix)?
        .format(&fmt)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("time: {e}")))
}

/// The pushes of one call, before delivery.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    /// `(eventType, body)` of each call event, in order.
    pub(crate) events: Vec<(&'static str, String)>,
    /// The CDR record (one `feeLst` entry).
    pub(crate) cdr: Value,
    /// How the call was routed.
    pub(crate) route: CallRoute,
    /// The `disconnect` `stateCode`.
    pub(crate) state_code: u32,
}

/// The hang-up code for a call the engine did not route.
fn close_code(reason: CloseReason) -> u32 {
    reason.state_code().unwrap_or(match reason {
        CloseReason::DirectionNotAllowed => 8016,
        CloseReason::NoCallbackTarget => 8019,
        _ => 8014,
    })
}

fn state_desc(code: u32) -> &'static str {
    match code {
        8030 => "No valid AXYB binding for the call.",
        8031 => "No Y number could be allocated.",
        0 => "The user releases the call.",
        8010 => "The call reached its maximum duration.",
        8013 => "No temporary callee is set.",
        8014 => "No valid binding for the call.",
        8017 => "The call was ended on instruction.",
        8016 => "The call direction is not allowed.",
        8019 => "No callback record.",
        8023 => "A fixed-line number cannot call the privacy number.",
        8033 => "No extension was entered.",
        8101 => "The callee does not answer.",
        8102 => "The callee is busy.",
        _ => "The call failed.",
    }
}

/// The second leg of a connected call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Leg {
    /// Whom to call.
    pub(crate) callee: Number,
    /// What the callee sees.
    pub(crate) display: Number,
    /// Per-call cap in minutes (0 = none).
    pub(crate) max_duration_min: u16,
    /// Whether to record (when answered).
    pub(crate) record: bool,
}

/// What the platform does with a call: bridge it, or end it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Bridge it.
    Connect(Leg),
    /// End it after `callin`, with this route and hang-up code.
    Close {
        /// As reported.
        route: CallRoute,
        /// The `disconnect` `stateCode` and the CDR's `ulFailReason`.
        code: u32,
    },
}

impl Decision {
    /// The engine's route as the platform acts on it; `close_code`
    /// replaces the hang-up code of a route that is closed (AXYB: 8031).
    pub(crate) fn from_route(route: &Route, close_code_override: Option<u32>) -> Self {
        match route {
            Route::Connect(c) => Self::Connect(Leg {
                callee: c.callee,
                display: c.display,
                max_duration_min: c.max_duration_min,
                record: c.record,
            }),
            Route::Close { reason, .. } => Self::Close {
                route: CallRoute::Closed { reason: *reason },
                code: close_code_override.unwrap_or_else(|| close_code(*reason)),
            },
        }
    }
}

/// What the application's engine (or, in X mode, the application)
/// decided about a call, beyond the route.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context<'a> {
    /// The binding that routed the call (or was found for it).
    pub(crate) binding: Option<&'a Binding>,
    /// `subscriptionId` of its pushes: the binding's (AXYB: the AX
    /// binding's, which the customer holds).
    pub(crate) subscription: Option<String>,
    /// `userData` of the events after `callin` and of the CDR, replacing
    /// the binding's (X mode: the reply's).
    pub(crate) user_data: Option<String>,
    /// X mode: no binding, `notifyMode` `Block` in the CDR.
    pub(crate) x_mode: bool,
    /// X mode: the application was asked (`callin` carries `notifyMode`
    /// `Block`).
    pub(crate) asked: bool,
}

impl<'a> Context<'a> {
    /// The context of `binding`, its own id as `subscriptionId`.
    #[cfg(test)]
    pub(crate) fn of(binding: Option<&'a Binding>) -> Self {
        Self {
            binding,
            subscription: binding.map(|b| b.id.as_string()),
            ..Self::default()
        }
    }
}

/// The body of one call event.
fn event_body(
    kind: &'static str,
    at: u64,
    caller: Number,
    called: Number,
    session_id: &str,
    subscription: Option<&str>,
    extra: &[(&str, Value)],
) -> Result<String> {
    let mut info = Map::new();
    info.insert("timestamp".into(), Value::from(platform_time(at)?));
    info.insert("sessionId".into(), Value::from(session_id));
    info.insert("caller".into(), Value::from(caller.e164().as_str()));
    info.insert("called".into(), Value::from(called.e164().as_str()));
    if let Some(s) = subscription {
        info.insert("subscriptionId".into(), Value::from(s));
    }
    for (k, v) in extra {
        info.insert((*k).into(), v.clone());
    }
    Ok(json!({ "eventType": kind, "statusInfo": info }).to_string())
}

/// The `callin` event of a call: the first push, and in X mode the Block
/// push the application answers.
pub(crate) fn callin_body(
    call: &SimulatedCall,
    ctx: &Context<'_>,
    app: &AppConfig,
    ids: &CallIds,
    t0: u64,
) -> Result<String> {
    let mut extra: Vec<(&str, Value)> = Vec::new();
    if ctx.asked {
        extra.push(("notifyMode", Value::from("Block")));
    }
    // X mode: the reply's userData is not known yet.
    if let (false, Some(u)) = (ctx.x_mode, binding_user_data(ctx)) {
        extra.push(("userData", Value::from(u)));
    }
    // AXE: callin comes before the binding is known (PN §9.2: no
    // subscriptionId on AXE callin).
    let subscription = ctx
        .subscription
        .as_deref()
        .filter(|_| app.mode != Mode::Axe);
    event_body(
        "callin",
        t0,
        call.caller,
        call.dialled,
        &ids.session_id,
        subscription,
        &extra,
    )
}

/// The binding's `userData`, unless the context replaces it.
fn binding_user_data(ctx: &Context<'_>) -> Option<String> {
    ctx.user_data.clone().or_else(|| {
        ctx.binding
            .and_then(|b| b.settings.extras.as_ref())
            .and_then(|e| e.user_data.clone())
    })
}

/// `direction` of a CDR (PN §9.3): AXB 1 = A calls B, 0 = B calls A;
/// AX/AXE 1 = A calls out, 0 = someone calls A; AXYB the same from A's
/// side (A dials Y: 1; B dials X: 0).
pub(crate) fn cdr_direction(binding: Option<&Binding>, caller: Number) -> u32 {
    match binding.map(|b| &b.shape) {
        Some(
            Shape::Pair { a, .. }
            | Shape::Owner { a, .. }
            | Shape::Extension { a, .. }
            | Shape::AxybAx { a, .. },
        ) => u32::from(*a == caller),
        Some(Shape::AxybYb { b, .. }) => u32::from(*b != caller),
        None => 2,
    }
}

/// Lay out the call and build its pushes.
pub(crate) fn plan(
    call: &SimulatedCall,
    decision: &Decision,
    ctx: &Context<'_>,
    app: &AppConfig,
    ids: &CallIds,
    t0: u64,
) -> Result<Plan> {
    let binding = ctx.binding;
    let x = call.dialled;
    let caller = call.caller;
    let e164 = |n: Number| Value::from(n.e164().as_str());
    let user_data = binding_user_data(ctx);
    let subscription = ctx.subscription.clone();
    let axe = app.mode == Mode::Axe;

    let event = |kind: &'static str, at: u64, called: Number, extra: &[(&str, Value)]| {
        // AXE: the digits come before the binding is known.
        let sub = subscription
            .as_deref()
            .filter(|_| !(axe && kind == "collectInfo"));
        let body = event_body(kind, at, caller, called, &ids.session_id, sub, extra)?;
        Ok::<_, Error>((kind, body))
    };

    let mut cdr = Map::new();
    cdr.insert("spId".into(), Value::from(app.sp_id.as_str()));
    cdr.insert("appKey".into(), Value::from(app.app_key.as_str()));
    cdr.insert("icid".into(), Value::from(ids.icid.as_str()));
    cdr.insert("bindNum".into(), e164(x));
    cdr.insert("sessionId".into(), Value::from(ids.session_id.as_str()));
    if !ctx.x_mode {
        cdr.insert(
            "subscriptionId".into(),
            Value::from(subscription.clone().unwrap_or_default()),
        );
    }
    cdr.insert("callerNum".into(), e164(caller));
    cdr.insert("calleeNum".into(), e164(x));
    cdr.insert("callInTime".into(), Value::from(platform_time(t0)?));
    cdr.insert("serviceType".into(), Value::from("004"));
    cdr.insert("hostName".into(), Value::from(ids.host.as_str()));
    if let Some(u) = &user_data {
        cdr.insert("userData".into(), Value::from(u.as_str()));
    }
    if ctx.x_mode {
        cdr.insert("notifyMode".into(), Value::from("Block"));
    }
    // After callin, X-mode events carry the reply's userData.
    let later: Vec<(&str, Value)> = user_data
        .iter()
        .filter(|_| ctx.x_mode)
        .map(|u| ("userData", Value::from(u.as_str())))
        .collect();
    let with_later = |extra: &[(&'static str, Value)]| {
        let mut all = extra.to_vec();
        all.extend(later.iter().cloned());
        all
    };

    let mut events = vec![("callin", callin_body(call, ctx, app, ids, t0)?)];
    if let (true, Some(ext)) = (axe, call.ext) {
        events.push(event(
            "collectInfo",
            t0,
            x,
            &[("digitInfo", Value::from(ext.to_string()))],
        )?);
    }

    let connect = match decision {
        Decision::Connect(leg) => *leg,
        Decision::Close { route, code } => {
            let code = *code;
            events.push(event(
                "disconnect",
                t0,
                x,
                &with_later(&[
                    ("stateCode", Value::from(code)),
                    ("stateDesc", Value::from(state_desc(code))),
                ]),
            )?);
            cdr.insert("direction".into(), Value::from(2));
            cdr.insert("callEndTime".into(), Value::from(platform_time(t0)?));
            cdr.insert("failTime".into(), Value::from(platform_time(t0)?));
            cdr.insert("ulFailReason".into(), Value::from(code));
            cdr.insert("fwdUnaswRsn".into(), Value::from(0));
            cdr.insert("sipStatusCode".into(), Value::from(0));
            cdr.insert("recordFlag".into(), Value::from(0));
            return Ok(Plan {
                events,
                cdr: Value::Object(cdr),
                route: route.clone(),
                state_code: code,
            });
        }
    };

    let callee = connect.callee;
    // X mode has no A: someone reached the application's party (0).
    let direction = if ctx.x_mode {
        0
    } else {
        cdr_direction(binding, caller)
    };
    cdr.insert("direction".into(), Value::from(direction));
    if let (true, Some(ext)) = (axe, call.ext) {
        cdr.insert("extendNum".into(), Value::from(ext.to_string()));
    }
    cdr.insert("fwdDisplayNum".into(), e164(connect.display));
    cdr.insert("fwdDstNum".into(), e164(callee));
    let t_out = t0 + 1;
    cdr.insert("fwdStartTime".into(), Value::from(platform_time(t_out)?));
    events.push(event("callout", t_out, callee, &with_later(&[]))?);

    let ring = u64::from(call.ring_secs);
    let (code, end, answered_at, q850, sip) = match call.outcome {
        CallOutcome::Busy => (8102, t_out + 1, None, 17, 486),
        CallOutcome::NoAnswer => (8101, t_out + ring, None, 19, 480),
        CallOutcome::Answered { talk_secs } => {
            let answer = t_out + ring;
            let cap = u64::from(connect.max_duration_min) * 60;
            let talk = u64::from(talk_secs);
            if cap > 0 && talk > cap {
                (8010, answer + cap, Some(answer), 0, 0)
            } else {
                (0, answer + talk, Some(answer), 0, 0)
            }
        }
    };
    if call.outcome != CallOutcome::Busy {
        events.push(event("alerting", t_out, callee, &with_later(&[]))?);
        cdr.insert("fwdAlertingTime".into(), Value::from(platform_time(t_out)?));
    }
    if let Some(at) = answered_at {
        events.push(event("answer", at, callee, &with_later(&[]))?);
        cdr.insert("fwdAnswerTime".into(), Value::from(platform_time(at)?));
    } else {
        cdr.insert("failTime".into(), Value::from(platform_time(end)?));
    }
    events.push(event(
        "disconnect",
        end,
        callee,
        &with_later(&[
            ("stateCode", Value::from(code)),
            ("stateDesc", Value::from(state_desc(code))),
        ]),
    )?);
    cdr.insert("callEndTime".into(), Value::from(platform_time(end)?));
    cdr.insert("fwdUnaswRsn".into(), Value::from(q850));
    cdr.insert("ulFailReason".into(), Value::from(code));
    cdr.insert("sipStatusCode".into(), Value::from(sip));

    let recorded = answered_at.filter(|_| call.record.unwrap_or(connect.record));
    match recorded {
        Some(at) => {
            cdr.insert("recordFlag".into(), Value::from(1));
            cdr.insert("recordStartTime".into(), Value::from(platform_time(at)?));
            let name: String = ids
                .icid
                .chars()
                .filter(char::is_ascii_digit)
                .take(9)
                .collect();
            cdr.insert(
                "recordObjectName".into(),
                Value::from(format!("{}{name}.wav", compact_time(at)?)),
            );
            cdr.insert(
                "recordBucketName".into(),
                Value::from("privatenumber-records"),
            );
            cdr.insert(
                "recordDomain".into(),
                Value::from(super::live::RECORD_DOMAIN),
            );
        }
        None => {
            cdr.insert("recordFlag".into(), Value::from(0));
        }
    }
    Ok(Plan {
        events,
        cdr: Value::Object(cdr),
        route: CallRoute::Connected {
            callee,
            display: connect.display,
        },
        state_code: code,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::callback::push::{self, CallEventKind, Push};
    use crate::engine::{BindingId, Connect, Extras, Settings, State};
    use crate::number::parse;

    const T0: u64 = 1_714_550_400; // 2024-05-01 08:00:00 UTC

    fn n(s: &str) -> Number {
        parse(s).unwrap()
    }

    fn binding() -> Binding {
        Binding {
            id: BindingId::new("3f1c0000-0000-4000-8000-000000000001").unwrap(),
            mode: Mode::Axb,
            x: Some(n("+8617000000010")),
            shape: Shape::Pair {
                a: n("+8613800000001"),
                b: n("+8613900000002"),
            },
            settings: Settings {
                max_duration_min: 1,
                extras: Some(Arc::new(Extras {
                    user_data: Some("order-42".into()),
                    ..Extras::default()
                })),
                ..Settings::default()
            },
            state: State::Active,
            bound_at: T0,
            pending: None,
        }
    }

    fn connect(record: bool) -> Route {
        Route::Connect(Connect {
            callee: n("+8613900000002"),
            display: n("+8617000000010"),
            max_duration_min: 1,
            record,
            binding: binding().id,
            extras: None,
        })
    }

    fn run(outcome: CallOutcome, route: &Route, b: Option<&Binding>) -> Plan {
        let app = AppConfig::new(Mode::Axb, "key1", "secret1");
        let ids = CallIds::new(7, T0).unwrap();
        let call = SimulatedCall::new(n("+8613800000001"), n("+8617000000010"), outcome);
        let decision = Decision::from_route(route, None);
        plan(&call, &decision, &Context::of(b), &app, &ids, T0).unwrap()
    }

    fn kinds(p: &Plan) -> Vec<&str> {
        p.events.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn ids_look_like_the_platforms() {
        let ids = CallIds::new(12, T0).unwrap();
        let (head, host) = ids.session_id.split_once('@').unwrap();
        let parts: Vec<_> = head.split('_').collect();
        assert_eq!(parts.len(), 4, "{}", ids.session_id);
        assert_eq!(
            (parts[1], parts[2], parts[3]),
            ("12", "4294967295", "20240501080000")
        );
        assert!(host.starts_with("callenabler") && host.ends_with(".huaweicaas.com"));
        assert_eq!(host, ids.host);
        let (hex, rest) = ids.icid.split_once('.').unwrap();
        assert_eq!(hex.len(), 32);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(rest.split('.').count(), 3);
        assert_ne!(CallIds::new(12, T0).unwrap().icid, ids.icid);
        assert_eq!(platform_time(T0).unwrap(), "2024-05-01 08:00:00");
    }

    #[test]
    fn an_answered_call_is_the_full_sequence_and_parses() {
        let b = binding();
        let p = run(
            CallOutcome::Answered { talk_secs: 30 },
            &connect(true),
            Some(&b),
        );
        assert_eq!(
            kinds(&p),
            ["callin", "callout", "alerting", "answer", "disconnect"]
        );
        let mut session = None;
        for (i, (kind, body)) in p.events.iter().enumerate() {
            let Push::Call(ev) = push::parse(body.as_bytes()).unwrap() else {
                panic!("{kind} is not a call event");
            };
            assert_eq!(ev.kind.name(), *kind);
            let s = ev.info.session_id.as_deref().unwrap().to_owned();
            assert_eq!(session.get_or_insert(s.clone()), &s);
            assert_eq!(
                ev.info.subscription_id.as_deref(),
                Some("3f1c0000-0000-4000-8000-000000000001")
            );
            assert_eq!(ev.info.caller_number(), Some(n("+8613800000001")));
            assert!(ev.info.timestamp.is_some());
            if i == 0 {
                assert_eq!(ev.kind, CallEventKind::CallIn);
                assert_eq!(ev.info.called_number(), Some(n("+8617000000010")));
                assert_eq!(ev.info.user_data.as_deref(), Some("order-42"));
            }
            if ev.kind == CallEventKind::Disconnect {
                assert_eq!(ev.info.state_code.map(|c| c.0), Some(0));
            }
        }
        let fee = json!({"eventType": "fee", "feeLst": [p.cdr]}).to_string();
        let Push::Cdrs(records) = push::parse(fee.as_bytes()).unwrap() else {
            panic!("not a CDR push");
        };
        let r = &records[0];
        assert!(r.answered());
        assert_eq!(r.talk_seconds(), 30);
        assert_eq!(r.direction, Some(1));
        assert_eq!(r.record_flag, Some(1));
        assert!(r.recording().is_some());
        assert_eq!(r.session_id.as_deref(), session.as_deref());
        assert_eq!(r.user_data.as_deref(), Some("order-42"));
        assert_eq!(r.destination_number(), Some(n("+8613900000002")));
    }

    #[test]
    fn other_outcomes() {
        let b = binding();
        let p = run(CallOutcome::Busy, &connect(false), Some(&b));
        assert_eq!(kinds(&p), ["callin", "callout", "disconnect"]);
        assert_eq!(p.state_code, 8102);
        assert_eq!(p.cdr["fwdUnaswRsn"], 17);
        let p = run(CallOutcome::NoAnswer, &connect(true), Some(&b));
        assert_eq!(kinds(&p), ["callin", "callout", "alerting", "disconnect"]);
        assert_eq!(p.cdr["ulFailReason"], 8101);
        assert_eq!(p.cdr["recordFlag"], 0, "an unanswered call is not recorded");
        // Past maxDuration (1 minute): cut with 8010.
        let p = run(
            CallOutcome::Answered { talk_secs: 600 },
            &connect(false),
            Some(&b),
        );
        assert_eq!(p.state_code, 8010);
        let fee = json!({"eventType": "fee", "feeLst": [p.cdr]}).to_string();
        let Push::Cdrs(r) = push::parse(fee.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(r[0].talk_seconds(), 60);
        // Not routed: callin and disconnect, an abnormal CDR.
        let closed = Route::Close {
            reason: CloseReason::NoBinding,
            binding: None,
        };
        let p = run(CallOutcome::Answered { talk_secs: 5 }, &closed, None);
        assert_eq!(kinds(&p), ["callin", "disconnect"]);
        assert_eq!(p.state_code, 8014);
        assert_eq!(p.cdr["direction"], 2);
        assert_eq!(p.cdr["subscriptionId"], "");
        for (_, body) in &p.events {
            assert!(push::parse(body.as_bytes()).is_ok());
        }
        assert_eq!(close_code(CloseReason::DirectionNotAllowed), 8016);
        assert_eq!(close_code(CloseReason::CallerCannotCallX), 8023);
    }
}

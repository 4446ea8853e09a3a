//! Simulated calls as they unfold: routing by the application's engine,
//! their pushes, calls held open until `callStop` (PN §8) or until their
//! talk time is over on the emulator's clock, and the recordings of
//! recorded calls (PN §10).
//!
//! # Held calls
//!
//! A call simulated with [`SimulatedCall::hold`] that is answered stays
//! in progress: its events up to `answer` are pushed at once; its
//! `disconnect` and CDR wait. It ends
//! - when `callStop` names its session: the talk time is what elapsed on
//!   the emulator's clock since the answer, and `disconnect` carries
//!   stateCode 0 (the specification gives no code for a call stopped
//!   through the API; a normal release is the reading that needs none);
//! - when the emulator's clock (system clock plus the clock control's
//!   offset) passes the answer plus its talk time (cut at `maxDuration`,
//!   stateCode 8010). This is checked when the clock is advanced, before
//!   every simulated call and on every `callStop`.
//!
//! A call that is not held, or not answered, ends as soon as it is
//! simulated: `callStop` then answers 1020152, as for a finished call on
//! the platform.
//!
//! # Recordings
//!
//! A recorded call's CDR names a file (`recordObjectName`) in the domain
//! `record.emulator.invalid` (`recordDomain`). The download API answers
//! HTTP 301 with a `Location` on the emulator itself
//! (`/_emulator/recordings/<file>`), which serves one second of A-law
//! silence as a WAV file. A recording is kept seven days of the
//! emulator's clock after its CDR, then "does not exist" (1016001).

use serde_json::{Map, Value};

use crate::client::call::{CallStop, SIGNAL_CALL_STOP};
use crate::client::recording::RecordingDownloadUrl;
use crate::engine::{
    BindRequest, Binding, CallIn, CloseReason, Mode, Route, Settings, Shape, ShapeRequest, XChoice,
};
use crate::error::Result;
use crate::number::Number;

use super::Shared;
use super::answer::{Answer, CODE_INVALID_SESSION, CODE_NO_RECORD, Refusal};
use super::calls::{self, CallIds, CallOutcome, CallReport, Context, Decision, SimulatedCall};
use super::wire::{object, param, prepared, query_params, text};

/// How long a recording is kept after its CDR (PN §10): seven days.
pub(crate) const RECORDING_KEPT_SECS: u64 = 7 * 86_400;

/// `recordDomain` of the emulator's recordings.
pub(crate) const RECORD_DOMAIN: &str = "record.emulator.invalid";

/// The control path prefix recordings are served under.
pub(crate) const RECORDINGS_PATH: &str = "recordings/";

/// How a call was decided, with what its pushes need to know.
pub(crate) struct Decided {
    /// Bridge or end.
    pub(crate) decision: Decision,
    /// The binding that routed it, if one did.
    pub(crate) binding: Option<Binding>,
    /// `subscriptionId` of its pushes.
    pub(crate) subscription: Option<String>,
    /// `userData` replacing the binding's (X mode: the reply's).
    pub(crate) user_data: Option<String>,
    /// X mode.
    pub(crate) x_mode: bool,
    /// X mode: the `callin` Block push made, if the application was asked.
    pub(crate) block_push_id: Option<u64>,
}

impl Decided {
    fn context(&self) -> Context<'_> {
        Context {
            binding: self.binding.as_ref(),
            subscription: self.subscription.clone(),
            user_data: self.user_data.clone(),
            x_mode: self.x_mode,
            asked: self.block_push_id.is_some(),
        }
    }
}

/// A call held open.
pub(crate) struct LiveCall {
    app: usize,
    call: SimulatedCall,
    decided: Decided,
    ids: CallIds,
    t0: u64,
    answer_at: u64,
    ends_at: u64,
}

/// A recording that can be downloaded.
pub(crate) struct Recording {
    app: usize,
    domain: String,
    made_at: u64,
}

/// The binding a route names.
pub(crate) fn binding_of(app: &super::App, route: &Route) -> Option<Binding> {
    match route {
        Route::Connect(c) => app.engine.get(&c.binding),
        Route::Close {
            binding: Some(id), ..
        } => app.engine.get(id),
        Route::Close { .. } => None,
    }
}

/// The `subscriptionId` the customer knows for `b`: its own id, or for an
/// AXYB relation its AX binding's.
pub(crate) fn subscription_of(b: &Binding) -> String {
    match &b.shape {
        Shape::AxybYb { parent, .. } => parent.as_string(),
        _ => b.id.as_string(),
    }
}

/// AXYB: someone without a relation calls an X that has only its AX
/// binding; the platform assigns a Y (PN §6). Whether it could.
fn assign_y(app: &super::App, parent: &crate::engine::BindingId, b: Number, now: u64) -> bool {
    let req = BindRequest {
        shape: ShapeRequest::AxybYb {
            parent: parent.clone(),
            b,
            yb_duration: None,
        },
        x: XChoice::Pick {
            area: None,
            fallback: true,
        },
        settings: Settings::default(),
        id: None,
    };
    app.engine.bind(&req, now).is_ok()
}

/// Route and lay out a call, push what is due and hold it if asked.
pub(crate) fn simulate(
    shared: &Shared,
    index: usize,
    call: &SimulatedCall,
    seq: u64,
    now: u64,
) -> Result<CallReport> {
    let app = &shared.apps[index];
    let ids = CallIds::new(seq, now)?;
    if app.config.mode == Mode::X {
        let decided = super::xmode::decide(shared, index, call, &ids, now)?;
        return launch(shared, index, call, ids, decided, now);
    }
    let call_in = CallIn {
        caller: call.caller,
        dialled: call.dialled,
        ext: call.ext,
    };
    let mut route = app.engine.route(&call_in, now);
    let mut close_code = None;
    if app.config.mode == Mode::Axyb {
        if let Route::Close {
            reason: CloseReason::NoRelation,
            binding: Some(parent),
        } = &route
        {
            if assign_y(app, parent, call.caller, now) {
                route = app.engine.route(&call_in, now);
            } else {
                close_code = Some(8031);
            }
        }
    }
    let binding = binding_of(app, &route);
    let decided = Decided {
        decision: Decision::from_route(&route, close_code),
        subscription: binding.as_ref().map(subscription_of),
        binding,
        user_data: None,
        x_mode: false,
        block_push_id: None,
    };
    launch(shared, index, call, ids, decided, now)
}

/// Lay out a decided call, push what is due and hold it if asked.
fn launch(
    shared: &Shared,
    index: usize,
    call: &SimulatedCall,
    ids: CallIds,
    decided: Decided,
    now: u64,
) -> Result<CallReport> {
    let app = &shared.apps[index];
    let mut plan = calls::plan(
        call,
        &decided.decision,
        &decided.context(),
        &app.config,
        &ids,
        now,
    )?;
    let key = app.config.app_key.as_str();
    let answered_at = match (call.outcome, &decided.decision) {
        (CallOutcome::Answered { talk_secs }, Decision::Connect(c)) if call.hold => {
            let answer_at = now + 1 + u64::from(call.ring_secs);
            let cap = u64::from(c.max_duration_min) * 60;
            let talk = u64::from(talk_secs);
            let talk = if cap > 0 { talk.min(cap) } else { talk };
            Some((answer_at, answer_at.saturating_add(talk)))
        }
        _ => None,
    };
    if answered_at.is_some() {
        // The disconnect waits for the end of the call.
        plan.events.pop();
    }
    let events: Vec<&'static str> = plan.events.iter().map(|(k, _)| *k).collect();
    // X mode: callin went out already, as the Block push.
    let mut push_ids: Vec<u64> = decided.block_push_id.into_iter().collect();
    let already = push_ids.len();
    if let Some(url) = app.config.call_event_url.as_deref() {
        push_ids.extend(
            plan.events
                .into_iter()
                .skip(already)
                .map(|(kind, body)| shared.outbox.push_event(index, key, url, kind, body)),
        );
    }
    let mut report = CallReport {
        app_key: key.to_owned(),
        session_id: ids.session_id.clone(),
        icid: ids.icid.clone(),
        subscription_id: decided.subscription.clone(),
        route: plan.route,
        state_code: plan.state_code,
        events,
        push_ids,
        block_push_id: decided.block_push_id,
        cdr_queued: false,
        live: false,
        record_file: None,
    };
    match answered_at {
        Some((answer_at, ends_at)) => {
            report.live = true;
            shared.live.lock().insert(
                ids.session_id.clone(),
                LiveCall {
                    app: index,
                    call: *call,
                    decided,
                    ids,
                    t0: now,
                    answer_at,
                    ends_at,
                },
            );
        }
        None => {
            report.record_file = keep_recording(shared, index, &plan.cdr, now);
            report.cdr_queued = queue_cdr(shared, index, plan.cdr);
        }
    }
    Ok(report)
}

/// Queue a CDR for the application's `fee` push; whether it has a URL.
fn queue_cdr(shared: &Shared, index: usize, cdr: Value) -> bool {
    match shared.apps[index].config.cdr_url() {
        Some(url) => {
            shared.outbox.push_cdr(index, url, cdr);
            true
        }
        None => false,
    }
}

/// Register the recording a CDR names (recordFlag 1); its file name.
fn keep_recording(shared: &Shared, index: usize, cdr: &Value, now: u64) -> Option<String> {
    if cdr.get("recordFlag").and_then(Value::as_u64) != Some(1) {
        return None;
    }
    let name = cdr.get("recordObjectName").and_then(Value::as_str)?;
    let domain = cdr.get("recordDomain").and_then(Value::as_str)?;
    shared.recordings.lock().insert(
        name.to_owned(),
        Recording {
            app: index,
            domain: domain.to_owned(),
            made_at: now,
        },
    );
    Some(name.to_owned())
}

/// End a held call at `end` (clamped between its answer and its planned
/// end): push its `disconnect` and queue its CDR.
fn finish(shared: &Shared, live: LiveCall, end: u64) -> Result<()> {
    let end = end.clamp(live.answer_at, live.ends_at);
    let talk = u32::try_from(end - live.answer_at).unwrap_or(u32::MAX);
    let mut call = live.call;
    call.outcome = CallOutcome::Answered { talk_secs: talk };
    call.hold = false;
    let app = &shared.apps[live.app];
    let mut plan = calls::plan(
        &call,
        &live.decided.decision,
        &live.decided.context(),
        &app.config,
        &live.ids,
        live.t0,
    )?;
    if let (Some(url), Some((kind, body))) =
        (app.config.call_event_url.as_deref(), plan.events.pop())
    {
        shared
            .outbox
            .push_event(live.app, &app.config.app_key, url, kind, body);
    }
    keep_recording(shared, live.app, &plan.cdr, end);
    queue_cdr(shared, live.app, plan.cdr);
    Ok(())
}

/// End the held calls whose talk time is over at `now`; how many ended.
pub(crate) fn end_due(shared: &Shared, now: u64) -> Result<usize> {
    let due: Vec<LiveCall> = {
        let mut live = shared.live.lock();
        let ids: Vec<String> = live
            .iter()
            .filter(|(_, c)| c.ends_at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        ids.iter().filter_map(|id| live.remove(id)).collect()
    };
    let n = due.len();
    for call in due {
        let end = call.ends_at;
        finish(shared, call, end)?;
    }
    Ok(n)
}

/// `POST /rest/httpsessions/callStop/v2.0` (PN §8): stop a held call of
/// the application `index`.
pub(crate) fn call_stop(
    shared: &Shared,
    index: usize,
    body: &[u8],
    now: u64,
) -> Result<Answer, Refusal> {
    let obj = object(body)?;
    // `sessionid` as documented; `sessionId` as the events spell it.
    let id = match text(&obj, "sessionid")? {
        Some(id) => id,
        None => {
            text(&obj, "sessionId")?.ok_or_else(|| Refusal::invalid("sessionid", "is required"))?
        }
    };
    match text(&obj, "signal")? {
        Some(SIGNAL_CALL_STOP) => {}
        Some(_) => return Err(Refusal::invalid("signal", "must be \"call_stop\"")),
        None => return Err(Refusal::invalid("signal", "is required")),
    }
    prepared(&CallStop::new(id))?;
    let internal = |e: crate::Error| Refusal::new(super::answer::CODE_INTERNAL, e.message());
    end_due(shared, now).map_err(internal)?;
    let call = {
        let mut live = shared.live.lock();
        match live.get(id) {
            Some(c) if c.app == index => live.remove(id),
            _ => None,
        }
    };
    let Some(call) = call else {
        return Err(Refusal::new(
            CODE_INVALID_SESSION,
            "No call in progress has this session id.",
        ));
    };
    finish(shared, call, now).map_err(internal)?;
    Ok(Answer::success(Map::new()))
}

/// `GET /rest/provision/voice/record/v1.0` (PN §10): HTTP 301 to the
/// recording, served by the emulator.
pub(crate) fn recording_url(
    shared: &Shared,
    index: usize,
    query: &str,
    now: u64,
) -> Result<Answer, Refusal> {
    let params = query_params(query);
    let file = param(&params, "fileName").unwrap_or_default();
    let domain = param(&params, "recordDomain").unwrap_or_default();
    prepared(&RecordingDownloadUrl::new(file, domain))?;
    let gone = || Refusal::new(CODE_NO_RECORD, "");
    {
        let mut recordings = shared.recordings.lock();
        let r = recordings.get(file).ok_or_else(gone)?;
        if r.app != index || r.domain != domain {
            return Err(gone());
        }
        if now >= r.made_at.saturating_add(RECORDING_KEPT_SECS) {
            recordings.remove(file);
            return Err(gone());
        }
    }
    let name: String = form_urlencoded::byte_serialize(file.as_bytes()).collect();
    Ok(Answer::redirect(format!(
        "{}{}{RECORDINGS_PATH}{name}",
        shared.base_url,
        super::server::CONTROL_PREFIX
    )))
}

/// `GET /_emulator/recordings/<file>`: the recording's bytes, or 404.
pub(crate) fn recording_file(shared: &Shared, name: &str) -> Answer {
    let name: String = form_urlencoded::parse(format!("n={name}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let known = shared.recordings.lock().contains_key(&name);
    if known {
        Answer::raw(200, "audio/wav", silence_wav())
    } else {
        Answer::not_found()
    }
}

/// One second of A-law silence, 8000 Hz mono: the recordings' format
/// (PN §14).
pub(crate) fn silence_wav() -> Vec<u8> {
    const SAMPLES: u32 = 8000;
    let mut w = Vec::with_capacity(58 + SAMPLES as usize);
    let mut chunk = |id: &[u8], data: &[u8]| {
        w.extend_from_slice(id);
        w.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
        w.extend_from_slice(data);
    };
    let mut fmt = Vec::with_capacity(18);
    fmt.extend_from_slice(&6u16.to_le_bytes()); // A-law
    fmt.extend_from_slice(&1u16.to_le_bytes()); // mono
    fmt.extend_from_slice(&8000u32.to_le_bytes()); // samples per second
    fmt.extend_from_slice(&8000u32.to_le_bytes()); // bytes per second
    fmt.extend_from_slice(&1u16.to_le_bytes()); // block align
    fmt.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    fmt.extend_from_slice(&0u16.to_le_bytes()); // no extension
    chunk(b"fmt ", &fmt);
    chunk(b"fact", &SAMPLES.to_le_bytes());
    chunk(b"data", &[0xD5; SAMPLES as usize]);
    let mut out = Vec::with_capacity(w.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(w.len() + 4).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(&w);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recording_is_a_wav_file() {
        let w = silence_wav();
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(&w[8..12], b"WAVE");
        assert_eq!(
            u32::from_le_bytes([w[4], w[5], w[6], w[7]]) as usize,
            w.len() - 8
        );
        assert_eq!(w.len(), 12 + (8 + 18) + (8 + 4) + (8 + 8000));
    }
}

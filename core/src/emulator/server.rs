//! The HTTP side: requests from the socket in, routed to the platform's
//! APIs or the control interface, answers out.
//!
//! [`dispatch`] is sans-IO (a request in, an [`Answer`] out); [`serve`] is
//! the worker loop around the HTTP server.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::client::CONTENT_TYPE;
use crate::client::ax::{AX_PATH, AX_TEMP_CALLEE_PATH};
use crate::client::axb::AXB_PATH;
use crate::client::axe::AXE_PATH;
use crate::client::axyb::AXYB_PATH;
use crate::client::call::CALL_STOP_PATH;
use crate::client::recording::RECORDING_PATH;
use crate::engine::Mode;

use super::Shared;
use super::answer::{Answer, CODE_INTERNAL, CODE_INVALID_API, Refusal};
use super::{auth, ax, axb, axe, axyb, control, live};

/// The prefix of the control interface; no platform API starts with it.
pub(crate) const CONTROL_PREFIX: &str = "/_emulator/";

/// A request as read from the socket. (No `Debug`: it holds the
/// signature and phone numbers.)
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) body: &'a [u8],
}

/// The platform API a path belongs to, and the mode whose applications
/// may call it (`None`: every mode).
fn api(path: &str) -> Option<Option<Mode>> {
    Some(match path {
        AXB_PATH => Some(Mode::Axb),
        AX_PATH | AX_TEMP_CALLEE_PATH => Some(Mode::Ax),
        AXE_PATH => Some(Mode::Axe),
        AXYB_PATH => Some(Mode::Axyb),
        RECORDING_PATH | CALL_STOP_PATH => None,
        _ => return None,
    })
}

/// Answer one request.
pub(crate) fn dispatch(shared: &Shared, req: &Incoming<'_>) -> Answer {
    if let Some(rest) = req.path.strip_prefix(CONTROL_PREFIX) {
        return control::handle(shared, req.method, rest, req.query, req.body);
    }
    let Some(mode) = api(req.path) else {
        return Answer::not_found();
    };
    match platform(shared, req, mode) {
        Ok(a) => a,
        Err(r) => r.answer(),
    }
}

fn platform(shared: &Shared, req: &Incoming<'_>, mode: Option<Mode>) -> Result<Answer, Refusal> {
    let internal = |e: crate::Error| Refusal::new(CODE_INTERNAL, e.message());
    // Clients sign with the system clock; the clock control moves only
    // the platform's bindings and calls.
    let signed_at = i64::try_from(Shared::real_now().map_err(internal)?).unwrap_or(i64::MAX);
    let index = auth::authenticate(req.headers, signed_at, |key| {
        let i = *shared.by_key.get(key)?;
        shared.apps.get(i).map(|a| (i, &a.verifier))
    })?;
    let app = shared
        .apps
        .get(index)
        .ok_or_else(|| Refusal::new(CODE_INTERNAL, ""))?;
    if mode.is_some_and(|m| m != app.config.mode) {
        return Err(Refusal::new(
            crate::engine::CODE_WRONG_MODE,
            &format!(
                "This is a {} application.",
                app.config.mode.name().to_uppercase()
            ),
        ));
    }
    if req.body.len() > shared.config.max_body_bytes {
        return Err(Refusal::invalid("body", "the body is too large"));
    }
    let now = shared.now().map_err(internal)?;
    if req.method == "GET" {
        // A query sees what has expired by now.
        app.engine.tick(now).map_err(internal)?;
    }
    let wrong_method = || {
        Err(Refusal::new(
            CODE_INVALID_API,
            &format!("{} is not a method of this API.", req.method),
        ))
    };
    match (req.path, req.method) {
        (AXB_PATH, "POST") => axb::bind(app, req.body, now),
        (AXB_PATH, "DELETE") => axb::unbind(app, req.query, now),
        (AXB_PATH, "PUT") => axb::modify(app, req.body, now),
        (AXB_PATH, "GET") => axb::query(app, req.query),
        (AX_PATH, "POST") => ax::bind(app, req.body, now),
        (AX_PATH, "DELETE") => ax::unbind(app, req.query, now),
        (AX_PATH, "PUT") => ax::modify(app, req.body, now),
        (AX_PATH, "GET") => ax::query(app, req.query),
        (AX_TEMP_CALLEE_PATH, "PUT") => ax::set_temp_callee(app, req.body, now),
        (AXE_PATH, "POST") => axe::bind(app, req.body, now),
        (AXE_PATH, "DELETE") => axe::unbind(app, req.query, now),
        (AXE_PATH, "PUT") => axe::modify(app, req.body, now),
        (AXE_PATH, "GET") => axe::query(app, req.query),
        (AXYB_PATH, method) => {
            axyb::check_app_key(app, req.query, |k| shared.by_key.contains_key(k))?;
            match method {
                "POST" => axyb::bind(app, req.body, now),
                "DELETE" => axyb::unbind(app, req.query, now),
                "GET" => axyb::query(app, req.query),
                _ => wrong_method(),
            }
        }
        (CALL_STOP_PATH, "POST") => live::call_stop(shared, index, req.body, now),
        (RECORDING_PATH, "GET") => live::recording_url(shared, index, req.query, now),
        _ => wrong_method(),
    }
}

/// How long a worker waits for a request before checking for a stop.
const POLL: Duration = Duration::from_millis(50);

/// A worker: answer requests until `stopping`.
pub(crate) fn serve(server: &tiny_http::Server, shared: &Shared, stopping: &AtomicBool) {
    while !stopping.load(Ordering::Acquire) {
        // Nothing came, or the listener reported an error: look again.
        if let Ok(Some(req)) = server.recv_timeout(POLL) {
            answer(shared, req);
        }
    }
}

fn answer(shared: &Shared, mut req: tiny_http::Request) {
    let method = req.method().as_str().to_owned();
    let url = req.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let owned: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_owned(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let headers: Vec<(&str, &str)> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    // Read one byte more than allowed, to tell "too large" from "at the limit".
    let limit = shared.config.max_body_bytes as u64 + 1;
    let mut body = Vec::new();
    let read = req.as_reader().take(limit).read_to_end(&mut body);
    let answer = match read {
        Ok(_) => dispatch(
            shared,
            &Incoming {
                method: &method,
                path,
                query,
                headers: &headers,
                body: &body,
            },
        ),
        Err(_) => Refusal::invalid("body", "the body could not be read").answer(),
    };
    let mut response =
        tiny_http::Response::from_data(answer.bytes()).with_status_code(answer.status);
    if let Ok(h) = tiny_http::Header::from_bytes("Content-Type", answer.content_type(CONTENT_TYPE))
    {
        response.add_header(h);
    }
    if let Some(location) = &answer.location {
        if let Ok(h) = tiny_http::Header::from_bytes("Location", location.as_bytes()) {
            response.add_header(h);
        }
    }
    // A client that went away needs no answer.
    let _ = req.respond(response);
}

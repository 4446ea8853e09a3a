//! The HTTP side: requests from the socket in, routed to the platform's
//! APIs or the control interface, answers out.
//!
//! [`dispatch`] is sans-IO (a request in, an [`Answer`] out); [`serve`] is
//! the worker loop around the HTTP server.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::client::CONTENT_TYPE;
use crate::client::axb::AXB_PATH;
use crate::engine::Mode;

use super::Shared;
use super::answer::{Answer, CODE_INTERNAL, CODE_INVALID_API, Refusal};
use super::{auth, axb, control};

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
        "/rest/provision/caas/privatenumber/v1.0"
        | "/rest/caas/privatenumber/calleenumber/v1.0" => Some(Mode::Ax),
        "/rest/caas/extendnumber/v1.0" => Some(Mode::Axe),
        "/rest/omp/xyrelationnumber/v1.0" => Some(Mode::Axyb),
        "/rest/provision/voice/record/v1.0" | "/rest/httpsessions/callStop/v2.0" => None,
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
    let now = Shared::now().map_err(|e| Refusal::new(CODE_INTERNAL, e.message()))?;
    let signed_at = i64::try_from(now).unwrap_or(i64::MAX);
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
    match (app.config.mode, req.path, req.method) {
        (Mode::Axb, AXB_PATH, "POST") => axb::bind(app, req.body, now),
        (Mode::Axb, AXB_PATH, "DELETE") => axb::unbind(app, req.query, now),
        (Mode::Axb, AXB_PATH, "PUT") => axb::modify(app, req.body, now),
        (Mode::Axb, AXB_PATH, "GET") => {
            app.engine
                .tick(now)
                .map_err(|e| Refusal::new(CODE_INTERNAL, e.message()))?;
            axb::query(app, req.query)
        }
        (Mode::Axb, AXB_PATH, _) => Err(Refusal::new(
            CODE_INVALID_API,
            &format!("{} is not a method of this API.", req.method),
        )),
        _ => Err(Refusal::new(
            CODE_INVALID_API,
            "This API is not emulated yet.",
        )),
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
    // A client that went away needs no answer.
    let _ = req.respond(response);
}

//! The default transport and the client against a tiny HTTP server on the
//! loopback interface: real requests, canned answers, and the failures the
//! retry rules depend on (a closed connection, a refused connection, a read
//! timeout, a refused TLS handshake), plus redirects and oversized bodies.
//!
//! Every server thread serves a fixed list of connections, waits at most a
//! few seconds for each, and stops by itself.

#![cfg(feature = "http")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use privnum::client::axb::{AxbBind, AxbQuery};
use privnum::client::retry::{Client, RetryPolicy};
use privnum::client::transport::{
    Failure, OwnedResponse, Transport, TransportConfig, USER_AGENT, UreqTransport,
};
use privnum::client::{self, HttpRequest, MAX_RESPONSE_BODY, Method, Operation, Prepared};
use privnum::{ErrorKind, Signer, number};

const KEY: &str = "a1d1f50cad21415fbdd13d8f53d36d60";
const SECRET: &str = "cfc881cc704c4fba8d8fef5788e03e6b";

/// How the server treats one connection.
enum Act {
    /// Read the request, send these bytes, close.
    Reply(Vec<u8>),
    /// Read the request, close without a word.
    Close,
    /// Read the request, say nothing for this long, close.
    Stall(Duration),
    /// Read what comes (a TLS ClientHello), send these bytes, close.
    RawReply(Vec<u8>),
}

/// One request as the server read it.
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// The value of a header (name compared case-insensitively).
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Serve `acts`, one connection each, in order; the handle gives what was
/// read. Gives up on a connection that does not come within 10 s.
fn serve(acts: Vec<Act>) -> (String, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        for act in acts {
            let Some(mut stream) = accept(&listener, Duration::from_secs(10)) else {
                break;
            };
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            if let Act::RawReply(bytes) = act {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(&bytes);
                continue;
            }
            let Some(request) = read_request(&mut stream) else {
                continue;
            };
            seen.push(request);
            match act {
                Act::Reply(bytes) => {
                    // The client may stop reading (an oversized body).
                    let _ = stream.write_all(&bytes);
                }
                Act::Stall(d) => thread::sleep(d),
                Act::Close | Act::RawReply(_) => {}
            }
        }
        seen
    });
    (base, handle)
}

fn accept(listener: &TcpListener, within: Duration) -> Option<TcpStream> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        match listener.accept() {
            Ok((stream, _)) => return Some(stream),
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
    None
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 || data.len() > 64 * 1024 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut seen = Seen {
        head,
        body: data[head_end..].to_vec(),
    };
    let length: usize = seen
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while seen.body.len() < length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        seen.body.extend_from_slice(&buf[..n]);
    }
    Some(seen)
}

/// An HTTP/1.1 answer that closes the connection, as the platform does.
fn http(status: u16, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn json(body: &str) -> Act {
    Act::Reply(http(
        200,
        "Content-Type: application/json;charset=UTF-8\r\n",
        body.as_bytes(),
    ))
}

fn plain_http() -> TransportConfig {
    let mut config = TransportConfig::default();
    config.https_only = false;
    config
}

/// A client of `base` over the real transport, with quick retries.
fn client(base: &str) -> Client {
    let mut policy = RetryPolicy::default();
    policy.initial_backoff = Duration::from_millis(1);
    policy.max_backoff = Duration::from_millis(5);
    Client::with_transport(
        base,
        Signer::new(KEY, SECRET).unwrap(),
        UreqTransport::new(plain_http()),
    )
    .unwrap()
    .with_policy(policy)
}

fn n(text: &str) -> number::Number {
    number::parse(text).unwrap()
}

fn bind() -> AxbBind {
    let mut bind = AxbBind::new(n("+8613800000001"), n("+8613900000002"));
    bind.relation_num = Some(n("+8617000000010"));
    bind.duration = Some(86_400);
    bind
}

fn query() -> AxbQuery {
    AxbQuery::on_x(n("+8617000000010"))
}

/// A signed request for `op`, to hand to a transport directly.
fn signed(op: &impl Operation) -> HttpRequest {
    client::sign_now(op.prepare().unwrap(), &Signer::new(KEY, SECRET).unwrap()).unwrap()
}

const BOUND: &str = r#"{"resultcode":"0","resultdesc":"Success","subscriptionId":"3f1c","relationNum":"+8617000000010","duration":86400}"#;
const FOUND: &str = r#"{"resultcode":"0","resultdesc":"Success","totalCount":1,"relationNumList":[{"subscriptionId":"3f1c","relationNum":"+8617000000010","callerNum":"+8613800000001","calleeNum":"+8613900000002"}]}"#;

#[test]
fn bind_and_query_over_the_wire() {
    let (base, server) = serve(vec![json(BOUND), json(FOUND)]);
    let c = client(&base);
    let bound = c.call_settled(&bind()).unwrap();
    assert_eq!(bound.subscription_id, "3f1c");
    assert_eq!(bound.duration, Some(86_400));
    let list = c.call(&query()).unwrap();
    assert_eq!(list.total_count, Some(1));
    assert_eq!(list.bindings[0].subscription_id.as_deref(), Some("3f1c"));

    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 2);
    let post = &seen[0];
    assert_eq!(
        post.request_line(),
        "POST /rest/caas/relationnumber/partners/v1.0 HTTP/1.1"
    );
    assert_eq!(
        post.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(
        post.header("authorization"),
        Some(r#"AKSK realm="SDP",profile="UsernameToken",type="Appkey""#)
    );
    let aksk = post.header("x-aksk").unwrap();
    assert!(
        aksk.starts_with(&format!(
            r#"UsernameToken Username="{KEY}", PasswordDigest=""#
        )),
        "{aksk}"
    );
    assert_eq!(post.header("user-agent"), Some(USER_AGENT));
    assert_eq!(
        post.body,
        br#"{"callerNum":"+8613800000001","calleeNum":"+8613900000002","relationNum":"+8617000000010","duration":86400}"#
    );
    let get = &seen[1];
    assert_eq!(
        get.request_line(),
        "GET /rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010 HTTP/1.1"
    );
    assert!(get.body.is_empty());
    assert_ne!(get.header("x-aksk"), post.header("x-aksk"));
}

#[test]
fn a_closed_connection_is_an_unknown_outcome() {
    // The transport alone: maybe sent.
    let (base, server) = serve(vec![Act::Close]);
    let e = UreqTransport::new(plain_http())
        .send(&base, &signed(&query()))
        .unwrap_err();
    assert_eq!(e.failure(), Failure::MaybeSent, "{e}");
    assert_eq!(server.join().unwrap().len(), 1);

    // A query is simply sent again.
    let (base, server) = serve(vec![Act::Close, json(FOUND)]);
    let list = client(&base).call(&query()).unwrap();
    assert_eq!(list.bindings.len(), 1);
    assert_eq!(server.join().unwrap().len(), 2);

    // A bind is settled by a query, and not sent again: it was there.
    let (base, server) = serve(vec![Act::Close, json(FOUND)]);
    let bound = client(&base).call_settled(&bind()).unwrap();
    assert_eq!(bound.subscription_id, "3f1c");
    let seen = server.join().unwrap();
    assert!(seen[0].request_line().starts_with("POST "));
    assert!(seen[1].request_line().starts_with(
        "GET /rest/caas/relationnumber/partners/v1.0?relationNum=%2B8617000000010\
         &callerNum=%2B8613800000001&calleeNum=%2B8613900000002 "
    ));

    // A bind without X cannot be looked up: OUTCOME_UNKNOWN, sent once.
    let (base, server) = serve(vec![Act::Close]);
    let mut no_x = bind();
    no_x.relation_num = None;
    let e = client(&base).call_settled(&no_x).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn a_refused_connection_was_not_sent() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let e = UreqTransport::new(plain_http())
        .send(&base, &signed(&bind()))
        .unwrap_err();
    assert_eq!(e.failure(), Failure::NotSent, "{e}");
    // Even a bind is retried; the attempts run out.
    let e = client(&base).call_settled(&bind()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TransportNotSent, "{e}");
    assert!(e.message().contains("gave up after 3 attempts"), "{e}");
}

#[test]
fn a_read_timeout_is_an_unknown_outcome() {
    let (base, server) = serve(vec![Act::Stall(Duration::from_secs(2))]);
    let mut config = plain_http();
    config.read_timeout = Duration::from_millis(300);
    let started = Instant::now();
    let e = UreqTransport::new(config)
        .send(&base, &signed(&bind()))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(e.failure(), Failure::MaybeSent, "{e}");
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn a_redirect_is_returned_not_followed() {
    // Following it would fail: nothing listens on port 1.
    let location = "http://127.0.0.1:1/record/a.wav?token=abc";
    let (base, server) = serve(vec![Act::Reply(http(
        301,
        &format!("Location: {location}\r\n"),
        b"",
    ))]);
    let prepared = Prepared {
        method: Method::Get,
        path: "/rest/provision/voice/record/v1.0",
        query: vec![
            ("fileName", "1200_366_0_20161228102743.wav".to_owned()),
            ("recordDomain", "record.example".to_owned()),
        ],
        body: None,
    };
    let request = client::sign_now(prepared, &Signer::new(KEY, SECRET).unwrap()).unwrap();
    let response: OwnedResponse = UreqTransport::new(plain_http())
        .send(&base, &request)
        .unwrap();
    assert_eq!(response.status, 301);
    assert_eq!(response.location.as_deref(), Some(location));
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn an_oversized_body_is_not_read() {
    let big = vec![b' '; MAX_RESPONSE_BODY + 1];
    let mut chunked = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(&big);
    let exact = vec![b' '; MAX_RESPONSE_BODY];
    let (base, server) = serve(vec![
        Act::Reply(http(200, "", &big)),
        // No length: read until close.
        Act::Reply(chunked),
        Act::Reply(http(200, "", &big)),
        Act::Reply(http(200, "", &exact)),
    ]);
    let transport = UreqTransport::new(plain_http());
    for _ in 0..2 {
        let e = transport.send(&base, &signed(&query())).unwrap_err();
        assert_eq!(e.failure(), Failure::TooLarge { status: 200 }, "{e}");
    }
    // Through the client: an unreadable answer, not retried.
    let e = client(&base).call(&query()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseInvalid, "{e}");
    assert_eq!(e.http_status(), Some(200));
    // Exactly the cap is read (and then refused as not JSON).
    let r = transport.send(&base, &signed(&query())).unwrap();
    assert_eq!(r.body.len(), MAX_RESPONSE_BODY);
    assert_eq!(server.join().unwrap().len(), 4);
}

#[test]
fn an_html_error_page_is_response_invalid_with_its_status() {
    let (base, server) = serve(vec![Act::Reply(http(
        500,
        "Content-Type: text/html\r\n",
        b"<html><body>Internal Server Error</body></html>",
    ))]);
    let e = client(&base).call(&query()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseInvalid, "{e}");
    assert_eq!(e.http_status(), Some(500));
    assert_eq!(e.platform_code(), None);
    assert!(e.message().contains("HTTP 500"), "{e}");
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn platform_refusals_come_back_as_answers() {
    let (base, server) = serve(vec![Act::Reply(http(
        403,
        "",
        br#"{"resultcode":"1010002","resultdesc":"Invalid request."}"#,
    ))]);
    let e = client(&base).call_settled(&bind()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PlatformInvalidRequest);
    assert_eq!(
        (e.platform_code(), e.http_status()),
        (Some("1010002"), Some(403))
    );
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn tls_failures() {
    // The server refuses the handshake with a fatal handshake_failure alert:
    // the request was not sent.
    let alert = vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28];
    let (base, server) = serve(vec![Act::RawReply(alert)]);
    let https = base.replace("http://", "https://");
    let transport = UreqTransport::default();
    let e = transport.send(&https, &signed(&bind())).unwrap_err();
    assert_eq!(e.failure(), Failure::NotSent, "{e}");
    server.join().unwrap();

    // A plain HTTP server answering the ClientHello: rustls reads a corrupt
    // record, an error it can also raise mid-session, so it stays on the
    // safe side.
    let (base, server) = serve(vec![Act::RawReply(http(400, "", b"bad request"))]);
    let https = base.replace("http://", "https://");
    let e = transport.send(&https, &signed(&bind())).unwrap_err();
    assert_eq!(e.failure(), Failure::MaybeSent, "{e}");
    server.join().unwrap();

    // HTTPS only by default: an http:// base URL is refused unsent.
    let e = transport
        .send("http://127.0.0.1:9", &signed(&bind()))
        .unwrap_err();
    assert_eq!(e.failure(), Failure::Invalid, "{e}");
    let c = Client::new("http://127.0.0.1:9", Signer::new(KEY, SECRET).unwrap()).unwrap();
    let e = c.call(&query()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}

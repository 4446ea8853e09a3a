//! The `privnum` command, for people and shell scripts (PBX tooling): every
//! platform API operation, request signing, push parsing and the emulator.
//! The binary (`core/src/bin/privnum.rs`) and the Python package's
//! `privnum` script both call [`run`], so they behave identically.
//!
//! ```text
//! privnum axb bind --caller "138 0000 0001" --callee 13900000002 --duration 3600
//! privnum --json axb query --relation-num +8617000000010
//! privnum sign axb unbind --subscription-id 3f1c…      # print the signed request, send nothing
//! privnum parse push.json                              # a push body as typed JSON
//! privnum emulator --port 8800                         # serve the platform emulator
//! privnum ops                                          # every operation's name
//! ```
//!
//! Operation arguments are `--name value` (or `--name=value`) pairs named
//! after the specification's wire fields, in kebab case (`--caller-num` for
//! `callerNum`) or as written (`--callerNum`); `--caller` and `--callee`
//! are short for `--caller-num` and `--callee-num`, `--id` for
//! `--subscription-id`; a dotted name fills a nested object
//! (`--pre-voice.caller-hint-tone a.wav`). Values are taken as people type
//! them and checked by the same rules as everywhere in privnum.
//!
//! The base URL, app key and app secret come from `--base-url`, `--app-key`
//! and `--app-secret`, or from `PRIVNUM_BASE_URL`, `PRIVNUM_APP_KEY` and
//! `PRIVNUM_APP_SECRET`. Plain `http://` is allowed only for loopback hosts
//! (the emulator).
//!
//! Output is readable text, or JSON with `--json`. Exit status: 0 on success,
//! 1 when the platform refused or could not be reached (the error's kind,
//! code, platform `resultcode` and HTTP status are printed; as a JSON object
//! `{"error": {…}}` on standard output with `--json`), 2 for a usage error.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde_json::{Map, Value, json};

use crate::callback::push;
use crate::client::any::{AnyOperation, NAMES};
use crate::client::retry::Client;
use crate::client::transport::{TransportConfig, UreqTransport};
use crate::client::{self, Operation};
use crate::error::{Error, ErrorKind, Result};
use crate::sign::Signer;

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: the operation failed (refused, unreachable, unreadable).
pub const EXIT_FAILED: i32 = 1;
/// Exit status: the command line is wrong.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "privnum",
    version,
    about = "Privacy-number telephony from the shell: the platform API, signing, pushes, the emulator.",
    after_help = "Operations: privnum <mode> <op> [--arg value]... (see `privnum ops`)."
)]
struct Cli {
    /// The application's access address (https://host:port).
    #[arg(long, env = "PRIVNUM_BASE_URL", global = true)]
    base_url: Option<String>,
    /// The application's key.
    #[arg(long, env = "PRIVNUM_APP_KEY", global = true)]
    app_key: Option<String>,
    /// The application's secret (prefer the environment variable).
    #[arg(
        long,
        env = "PRIVNUM_APP_SECRET",
        hide_env_values = true,
        global = true
    )]
    app_secret: Option<String>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds to wait for the platform's answer.
    #[arg(long, default_value_t = 10, global = true)]
    timeout: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List every operation's name.
    Ops,
    /// Print the signed request of an operation; nothing is sent.
    Sign {
        /// Nonce to sign with (default: a fresh random one).
        #[arg(long)]
        nonce: Option<String>,
        /// Created time to sign with, yyyy-MM-ddTHH:mm:ssZ (default: now).
        #[arg(long)]
        created: Option<String>,
        /// `<mode> <op> [--arg value]...`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        operation: Vec<String>,
    },
    /// Turn a push body (a file, or `-` for standard input) into typed JSON.
    Parse {
        /// The file holding the push body.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Serve the platform emulator on loopback until interrupted.
    Emulator {
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The application's mode: axb, ax, axe, axyb, x.
        #[arg(long, default_value = "axb")]
        mode: String,
        /// An X number of the pool and its area code, as NUMBER@AREA
        /// (repeatable; default +8617000000010…19 in 0755).
        #[arg(long = "number")]
        numbers: Vec<String>,
        /// Where the application receives call events (and CDRs, unless
        /// --fee-url is given).
        #[arg(long)]
        push_url: Option<String>,
        /// Where the application receives CDRs.
        #[arg(long)]
        fee_url: Option<String>,
        /// Divide the push retry delays by this (60000: a minute is 1 ms).
        #[arg(long, default_value_t = 1)]
        retry_time_scale: u32,
        /// A JSON configuration file (several applications, every setting;
        /// the format of `EmulatorConfig::from_json`). Replaces the other
        /// emulator options but --port.
        #[arg(long)]
        config: Option<String>,
    },
    /// `<mode> <op> [--arg value]...`: send one operation to the platform.
    #[command(external_subcommand)]
    Op(Vec<String>),
}

/// Run the command with these arguments (the first is the program name),
/// writing to `out` and `err`; returns the exit status. `privnum emulator`
/// serves until the process is interrupted.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_until(args, out, err, &|| false)
}

/// [`run`], with `stop` polled about ten times a second while
/// `privnum emulator` serves: it stops the emulator and returns when `stop`
/// says so (hosts that handle interrupts themselves, such as Python, use
/// this).
pub fn run_until<I, T>(
    args: I,
    out: &mut dyn Write,
    err: &mut dyn Write,
    stop: &dyn Fn() -> bool,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let json = cli.json;
    let result = match &cli.command {
        Command::Ops => ops(out, json),
        Command::Sign {
            nonce,
            created,
            operation,
        } => sign(&cli, operation, nonce.as_deref(), created.as_deref(), out),
        Command::Parse { file } => parse(file, out),
        Command::Emulator {
            port,
            mode,
            numbers,
            push_url,
            fee_url,
            retry_time_scale,
            config,
        } => serve(
            &cli,
            &Serve {
                port: *port,
                mode,
                numbers,
                push_url: push_url.as_deref(),
                fee_url: fee_url.as_deref(),
                retry_time_scale: *retry_time_scale,
                config: config.as_deref(),
            },
            out,
            stop,
        ),
        Command::Op(words) => send(&cli, words, out),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => report(&e, json, out, err),
    }
}

/// Print an error; its exit status.
fn report(e: &Error, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let usage = matches!(
        e.kind(),
        ErrorKind::InvalidArgument
            | ErrorKind::InvalidAppKey
            | ErrorKind::InvalidAppSecret
            | ErrorKind::InvalidNonce
            | ErrorKind::InvalidCreated
    ) && e.platform_code().is_none()
        && e.http_status().is_none();
    if json {
        let v = json!({"error": {
            "kind": e.kind().name(),
            "code": e.code(),
            "platform_code": e.platform_code(),
            "http_status": e.http_status(),
            "field": e.field(),
            "message": e.message(),
        }});
        let _ = writeln!(out, "{}", pretty(&v));
    } else {
        let mut line = format!("error: {} ({}): {}", e.kind().name(), e.code(), e.message());
        if let Some(f) = e.field() {
            line.push_str(&format!(" [field {f}]"));
        }
        let _ = writeln!(err, "{line}");
    }
    if usage { EXIT_USAGE } else { EXIT_FAILED }
}

fn ops(out: &mut dyn Write, json: bool) -> Result<()> {
    if json {
        write_out(out, &pretty(&json!(NAMES)))
    } else {
        let mut text = String::new();
        for name in NAMES {
            let (mode, op) = name.split_once('.').unwrap_or((name, ""));
            text.push_str(&format!("privnum {mode} {op}\n"));
        }
        write_out(out, text.trim_end())
    }
}

/// `<mode> <op> [--arg value]...` → the operation.
fn operation(words: &[String]) -> Result<AnyOperation> {
    let (mode, rest) = words
        .split_first()
        .ok_or_else(|| usage("give an operation: <mode> <op> [--arg value]..."))?;
    let (op, rest) = rest.split_first().ok_or_else(|| {
        usage(format!(
            "give the operation of mode {mode:?} (see `privnum ops`)"
        ))
    })?;
    let name = format!("{mode}.{}", op.replace('-', "_"));
    let args = arguments(rest)?;
    AnyOperation::from_json(&name, &args)
}

/// `--name value` pairs → a JSON object of wire names.
fn arguments(words: &[String]) -> Result<Value> {
    let mut root = Map::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let Some(flag) = word.strip_prefix("--") else {
            return Err(usage(format!(
                "expected --name value, got {:?}",
                truncate(word)
            )));
        };
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, v.to_owned()),
            None => {
                i += 1;
                let v = words
                    .get(i)
                    .ok_or_else(|| usage(format!("--{flag} needs a value")))?;
                (flag, v.clone())
            }
        };
        i += 1;
        let path: Vec<String> = name.split('.').map(wire_name).collect();
        insert(&mut root, &path, Value::String(value))?;
    }
    Ok(Value::Object(root))
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value) -> Result<()> {
    match path {
        [] => Err(usage("an empty argument name")),
        [last] => {
            if map.insert(last.clone(), value).is_some() {
                return Err(usage(format!("--{last} is given twice")));
            }
            Ok(())
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            match entry {
                Value::Object(inner) => insert(inner, rest, value),
                _ => Err(usage(format!("--{first} is both a value and an object"))),
            }
        }
    }
}

/// `caller-num` → `callerNum`; the short names; others as written.
fn wire_name(flag: &str) -> String {
    match flag {
        "caller" => return "callerNum".to_owned(),
        "callee" => return "calleeNum".to_owned(),
        "id" => return "subscriptionId".to_owned(),
        _ => {}
    }
    let mut out = String::with_capacity(flag.len());
    let mut upper = false;
    for c in flag.chars() {
        if c == '-' || c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn signer(cli: &Cli) -> Result<Signer> {
    let key = cli
        .app_key
        .as_deref()
        .ok_or_else(|| usage("give --app-key (or set PRIVNUM_APP_KEY)"))?;
    let secret = cli
        .app_secret
        .as_deref()
        .ok_or_else(|| usage("give --app-secret (or set PRIVNUM_APP_SECRET)"))?;
    Signer::new(key, secret)
}

fn sign(
    cli: &Cli,
    words: &[String],
    nonce: Option<&str>,
    created: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let op = operation(words)?;
    let signer = signer(cli)?;
    let prepared = op.prepare()?;
    let req = match (nonce, created) {
        (None, None) => client::sign_now(prepared, &signer)?,
        (Some(n), Some(c)) => client::sign(prepared, &signer, n, c)?,
        _ => return Err(usage("give --nonce and --created together, or neither")),
    };
    let url = match &cli.base_url {
        Some(base) => req.url(base),
        None => req.path_and_query().to_owned(),
    };
    if cli.json {
        let headers: Map<String, Value> = req
            .headers()
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Value::from(v.as_str())))
            .collect();
        let v = json!({
            "operation": op.op_name(),
            "idempotent": op.idempotent(),
            "method": req.method().as_str(),
            "url": url,
            "headers": headers,
            "body": req.body(),
        });
        return write_out(out, &pretty(&v));
    }
    let mut text = format!("{} {url}\n", req.method());
    for (n, v) in req.headers() {
        text.push_str(&format!("{n}: {v}\n"));
    }
    if let Some(body) = req.body() {
        text.push('\n');
        text.push_str(body);
    }
    write_out(out, text.trim_end())
}

fn send(cli: &Cli, words: &[String], out: &mut dyn Write) -> Result<()> {
    let op = operation(words)?;
    op.prepare()?; // refuse bad input before asking for credentials
    let base = cli
        .base_url
        .as_deref()
        .ok_or_else(|| usage("give --base-url (or set PRIVNUM_BASE_URL)"))?;
    let mut config = TransportConfig::default();
    config.read_timeout = Duration::from_secs(cli.timeout.max(1));
    config.total_timeout = config.read_timeout + config.connect_timeout;
    config.https_only = !is_loopback_http(base);
    let client = Client::with_transport(base, signer(cli)?, UreqTransport::new(config))?;
    let output = op.send(&client)?;
    if cli.json {
        write_out(out, &pretty(&output))
    } else {
        let mut text = String::new();
        flatten("", &output, &mut text);
        if text.is_empty() {
            text = format!("{}: done", op.op_name());
        }
        write_out(out, text.trim_end())
    }
}

/// `http://` to 127.0.0.0/8, `localhost` or `[::1]` (the emulator).
fn is_loopback_http(base: &str) -> bool {
    let Some(rest) = base.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn parse(file: &str, out: &mut dyn Write) -> Result<()> {
    let mut body = Vec::new();
    let read = if file == "-" {
        io::stdin().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::read(file).map(|b| body = b)
    };
    read.map_err(|e| usage(format!("cannot read {file:?}: {e}")))?;
    let parsed = push::parse(&body)?;
    write_out(out, &pretty(&parsed.to_json()))
}

/// The settings of `privnum emulator`.
struct Serve<'a> {
    port: u16,
    mode: &'a str,
    numbers: &'a [String],
    push_url: Option<&'a str>,
    fee_url: Option<&'a str>,
    retry_time_scale: u32,
    config: Option<&'a str>,
}

/// The app key and secret the emulator uses when none are given.
const EMULATOR_KEY: &str = "emulator-app-key";
const EMULATOR_SECRET: &str = "emulator-app-secret";

fn serve(cli: &Cli, s: &Serve<'_>, out: &mut dyn Write, stop: &dyn Fn() -> bool) -> Result<()> {
    use crate::emulator::{Emulator, EmulatorConfig};
    let config = match s.config {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| usage(format!("cannot read {file:?}: {e}")))?;
            let mut config = EmulatorConfig::from_json_text(&text)?;
            if s.port != 0 {
                config.port = s.port;
            }
            config
        }
        None => flag_config(cli, s)?,
    };
    let emulator = Emulator::start(config)?;
    let Some(first) = emulator.config().apps.first() else {
        return Err(usage("the configuration has no application"));
    };
    let (key, mode) = (first.app_key.as_str(), first.mode);
    let secret_note = if cli.app_secret.is_some() || s.config.is_some() {
        "(as configured)".to_owned()
    } else {
        EMULATOR_SECRET.to_owned()
    };
    let banner = if cli.json {
        pretty(&json!({
            "base_url": emulator.base_url(),
            "app_key": key,
            "mode": mode.name(),
            "apps": emulator.config().apps.len(),
        }))
    } else {
        format!(
            "privnum emulator serving {} at {}\n  PRIVNUM_BASE_URL={}\n  PRIVNUM_APP_KEY={key}\n  PRIVNUM_APP_SECRET {secret_note}\n  control: {}/_emulator/",
            mode.name(),
            emulator.base_url(),
            emulator.base_url(),
            emulator.base_url()
        )
    };
    write_out(out, &banner)?;
    let _ = out.flush();
    while !stop() {
        std::thread::sleep(Duration::from_millis(100));
    }
    emulator.stop();
    Ok(())
}

/// The emulator configuration of the command-line options: one application.
fn flag_config(cli: &Cli, s: &Serve<'_>) -> Result<crate::emulator::EmulatorConfig> {
    use crate::emulator::{AppConfig, EmulatorConfig};
    use crate::engine::Mode;
    let mode = Mode::from_name(s.mode).ok_or_else(|| {
        usage(format!(
            "--mode must be axb, ax, axe, axyb or x, not {:?}",
            truncate(s.mode)
        ))
    })?;
    let key = cli.app_key.as_deref().unwrap_or(EMULATOR_KEY);
    let secret = cli.app_secret.as_deref().unwrap_or(EMULATOR_SECRET);
    let mut app = AppConfig::new(mode, key, secret);
    if s.numbers.is_empty() {
        for i in 10..20 {
            app = app.with_number(crate::number::parse(&format!("+86170000000{i}"))?, "0755")?;
        }
    }
    for spec in s.numbers {
        let (n, area) = spec
            .split_once('@')
            .ok_or_else(|| usage("--number takes NUMBER@AREA, e.g. +8617000000010@0755"))?;
        app = app.with_number(client::parse_field_number(n, "number")?, area)?;
    }
    if let Some(url) = s.push_url {
        app = app.with_push_urls(url, s.fee_url.map(str::to_owned));
    }
    app = app.with_retry_time_scale(s.retry_time_scale);
    let mut config = EmulatorConfig::new(vec![app]);
    config.port = s.port;
    Ok(config)
}

/// JSON as `key: value` lines; nested keys joined with `.`, list items
/// numbered from 1.
fn flatten(prefix: &str, v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, item, out);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str(&format!("{prefix}: (none)\n"));
            }
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{}]", i + 1), item, out);
            }
        }
        Value::String(s) => out.push_str(&format!("{prefix}: {s}\n")),
        other => out.push_str(&format!("{prefix}: {other}\n")),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, "{text}").map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("cannot write the output: {e}"),
        )
    })
}

fn usage(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_args(args: &[&str]) -> (i32, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let mut all = vec!["privnum"];
        all.extend_from_slice(args);
        let code = run(all, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    const CREDS: [&str; 4] = [
        "--app-key",
        "a1d1f50cad21415fbdd13d8f53d36d60",
        "--app-secret",
        "cfc881cc704c4fba8d8fef5788e03e6b",
    ];

    #[test]
    fn ops_lists_every_operation() {
        let (code, out, _) = run_args(&["ops"]);
        assert_eq!(code, 0);
        assert!(out.contains("privnum axb bind\n"));
        assert_eq!(out.lines().count(), NAMES.len());
        let (_, out, _) = run_args(&["--json", "ops"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), NAMES.len());
    }

    #[test]
    fn sign_prints_the_exact_request() {
        let mut args = CREDS.to_vec();
        args.extend([
            "--base-url",
            "https://h.example:443/",
            "sign",
            "--nonce",
            "66C92B11FF8A425FB8D4CCFE0ED9ED1F",
            "--created",
            "2018-02-12T15:30:20Z",
            "axb",
            "bind",
            "--caller",
            "138 0000 0001",
            "--callee-num=+86 139-0000-0002",
        ]);
        let (code, out, err) = run_args(&args);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.starts_with("POST https://h.example:443/rest/caas/relationnumber/partners/v1.0\n")
        );
        assert!(out.contains(r#"PasswordDigest="qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q=""#));
        assert!(
            out.ends_with("{\"callerNum\":\"+8613800000001\",\"calleeNum\":\"+8613900000002\"}\n")
        );
    }

    #[test]
    fn nested_and_kebab_arguments() {
        let v = arguments(&[
            "--pre-voice.caller-hint-tone".into(),
            "a.wav".into(),
            "--maxDuration".into(),
            "30".into(),
            "--id=s1".into(),
        ])
        .unwrap();
        assert_eq!(
            v,
            json!({"preVoice": {"callerHintTone": "a.wav"}, "maxDuration": "30", "subscriptionId": "s1"})
        );
        assert!(arguments(&["--x".into()]).is_err());
        assert!(arguments(&["x".into()]).is_err());
        assert!(arguments(&["--a=1".into(), "--a=2".into()]).is_err());
    }

    #[test]
    fn usage_and_rule_errors_exit_2_and_name_the_field() {
        let mut args = CREDS.to_vec();
        args.extend([
            "sign",
            "axb",
            "bind",
            "--caller",
            "138000000x1",
            "--callee",
            "1",
        ]);
        let (code, _, err) = run_args(&args);
        assert_eq!(
            code, EXIT_FAILED,
            "a number error is not a usage error: {err}"
        );
        assert!(
            err.contains("NUMBER_INVALID_CHARACTER") && err.contains("[field callerNum]"),
            "{err}"
        );
        let (code, _, err) = run_args(&["sign", "axb", "bnid"]);
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("unknown operation"), "{err}");
        let (code, _, _) = run_args(&["--no-such-flag"]);
        assert_eq!(code, EXIT_USAGE);
        let (code, out, _) = run_args(&[
            "--json",
            "axb",
            "bind",
            "--caller",
            "13800000001",
            "--callee",
            "13900000002",
        ]);
        assert_eq!(code, EXIT_USAGE);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["kind"], "INVALID_ARGUMENT");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("--base-url")
        );
    }

    #[test]
    fn emulator_serves_until_stopped() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let polls = AtomicU32::new(0);
        let stop = || polls.fetch_add(1, Ordering::Relaxed) >= 2;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_until(
            ["privnum", "--json", "emulator", "--mode", "ax"],
            &mut out,
            &mut err,
            &stop,
        );
        assert_eq!(code, EXIT_OK, "{}", String::from_utf8_lossy(&err));
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["mode"], "ax");
        assert!(
            v["base_url"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:")
        );
        let code = run_until(
            ["privnum", "emulator", "--mode", "xy"],
            &mut out,
            &mut err,
            &stop,
        );
        assert_eq!(code, EXIT_USAGE);
        let code = run_until(
            ["privnum", "emulator", "--number", "170"],
            &mut out,
            &mut err,
            &stop,
        );
        assert_eq!(code, EXIT_USAGE);
    }

    #[test]
    fn loopback_detection() {
        for yes in [
            "http://127.0.0.1:8800",
            "http://localhost/",
            "http://[::1]:80/x",
        ] {
            assert!(is_loopback_http(yes), "{yes}");
        }
        for no in [
            "https://127.0.0.1",
            "http://example.com",
            "http://10.0.0.1:80",
            "http://127.example",
        ] {
            assert!(!is_loopback_http(no), "{no}");
        }
    }
}

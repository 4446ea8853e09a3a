//! Python bindings for privnum: the `privnum._native` extension module.
//!
//! Users import `privnum`, which re-exports everything public from here; the
//! hand-written stubs are `python/pysrc/privnum/_native.pyi`.
//!
//! The binding is thin: every rule lives in the core crate. This crate only
//! converts arguments and results, maps core errors to exception classes (in
//! `errors.rs`, the one place where that happens) and decides where to release
//! the GIL:
//!
//! * single calls on short inputs (parse one number, sign or verify one
//!   request, check one field) keep the GIL: they take about a microsecond or
//!   less, which is what releasing and re-acquiring the GIL costs;
//! * batch calls (`parse_numbers`) and work proportional to an arbitrary input
//!   (sorted-parameter signing and verification, encoding long text) copy
//!   nothing, borrow the Python strings' UTF-8 data and release the GIL;
//! * push bodies are copied into Rust once, then parsed (and, in an `Inbox`,
//!   verified and de-duplicated) with the GIL released when they are large
//!   (see `callback`);
//! * the binding engine keeps the GIL for routing and single in-memory
//!   changes and releases it for journal writes and work proportional to its
//!   state (see `engine`);
//! * the client's operations build, sign and parse with the GIL held, except
//!   large answers (see `client`);
//! * the blocking `Client` and the emulator (see `net`) do network I/O and
//!   wait on threads, always with the GIL released, and so does the
//!   `Mirror` (see `mirror`).

mod args;
mod callback;
mod cli;
mod client;
mod engine;
mod errors;
mod mirror;
mod net;
mod number;
mod params;
mod sign;

use pyo3::prelude::*;

/// `CARGO_PKG_VERSION` in PEP 440 form (`1.2.0-alpha.3` → `1.2.0a3`,
/// `-beta.N` → `bN`, `-rc.N` → `rcN`), as maturin writes it into the wheel.
fn pep440_version(cargo: &str) -> String {
    let Some((release, pre)) = cargo.split_once('-') else {
        return cargo.to_owned();
    };
    let (label, n) = pre.split_once('.').unwrap_or((pre, "0"));
    let tag = match label {
        "alpha" | "a" => "a",
        "beta" | "b" => "b",
        "rc" | "c" => "rc",
        "dev" => ".dev",
        _ => return format!("{release}.dev0"),
    };
    format!("{release}{tag}{n}")
}

/// The compiled part of the `privnum` package. Import `privnum` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", pep440_version(env!("CARGO_PKG_VERSION")))?;
    errors::register(m)?;

    m.add_class::<number::PyNumber>()?;
    m.add_class::<number::PyNumberClass>()?;
    m.add_class::<number::PyField>()?;
    m.add_function(wrap_pyfunction!(number::parse_number, m)?)?;
    m.add_function(wrap_pyfunction!(number::parse_numbers, m)?)?;
    m.add_function(wrap_pyfunction!(number::check_field, m)?)?;

    m.add_class::<sign::PySigner>()?;
    m.add_class::<sign::PyAuthHeaders>()?;
    m.add_class::<sign::PyVerifier>()?;
    m.add_class::<sign::PyVerified>()?;
    m.add_function(wrap_pyfunction!(sign::format_created, m)?)?;
    m.add_function(wrap_pyfunction!(sign::parse_created, m)?)?;
    m.add_function(wrap_pyfunction!(sign::generate_nonce, m)?)?;
    m.add_function(wrap_pyfunction!(sign::unix_now, m)?)?;

    m.add_class::<params::PyParamsProfile>()?;
    m.add_class::<params::PyParamsVerifier>()?;
    m.add_class::<params::PyParamsVerified>()?;
    m.add_function(wrap_pyfunction!(params::sign_params, m)?)?;
    m.add_function(wrap_pyfunction!(params::string_to_sign, m)?)?;
    m.add_function(wrap_pyfunction!(params::encode_param, m)?)?;

    callback::register(m)?;

    m.add_class::<engine::PyEngine>()?;
    m.add_class::<engine::PyBinding>()?;
    m.add_class::<engine::PyEvent>()?;
    m.add_class::<engine::PyRoute>()?;
    m.add_class::<engine::PyOpenReport>()?;

    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    m.add_class::<client::PyOperation>()?;
    m.add_class::<client::PyRequest>()?;
    m.add_class::<net::PyClient>()?;
    m.add_class::<net::PyEmulator>()?;
    m.add_class::<mirror::PyMirror>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::pep440_version;

    #[test]
    fn versions() {
        assert_eq!(pep440_version("0.1.0"), "0.1.0");
        assert_eq!(pep440_version("1.2.0-alpha.3"), "1.2.0a3");
        assert_eq!(pep440_version("1.2.0-beta.1"), "1.2.0b1");
        assert_eq!(pep440_version("1.2.0-rc.2"), "1.2.0rc2");
    }
}

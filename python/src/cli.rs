//! The `privnum` command of the Python package: the package's `privnum`
//! script calls [`cli_main`], which runs core's `cli::run_until` (the same
//! command as the Rust binary) with the GIL released, checking for Ctrl-C
//! about ten times a second while `privnum emulator` serves.

use std::io::Write;

use pyo3::prelude::*;

/// Run the `privnum` command with ``argv`` (the program name first) and
/// return its exit status. Output goes to the process's standard output and
/// error (file descriptors 1 and 2), not to ``sys.stdout``.
#[pyfunction]
#[pyo3(name = "_cli_main", signature = (argv, /))]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    let interrupted = std::sync::atomic::AtomicBool::new(false);
    let stop = || {
        // Signals are only seen with the GIL; an interrupt ends the serving.
        let hit = Python::attach(|py| py.check_signals().is_err());
        if hit {
            interrupted.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        hit
    };
    let code = py.detach(|| {
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let (mut out, mut err) = (stdout.lock(), stderr.lock());
        let code = privnum::cli::run_until(argv, &mut out, &mut err, &stop);
        let _ = out.flush();
        code
    });
    if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
        130
    } else {
        code
    }
}

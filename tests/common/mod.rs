//! What the integration tests that re-run their own binary share.

/// Run this test binary again with `args`, with `child` set in its environment (so the test
/// that starts the run does not start another): success, stdout and stderr.
#[must_use]
pub fn rerun(child: &str, args: &[&str]) -> (bool, String, String) {
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .args(args)
        .env(child, "1")
        .output()
        .expect("the test binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

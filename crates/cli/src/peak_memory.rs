//! Peak resident memory of this process, for `forlop bench` (Linux; `None` elsewhere).

/// The peak resident set size (VmHWM) in bytes since start or the last [`reset`].
pub fn bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak to the current resident size, so the next phase is measured on its own
/// (writing 5 to clear_refs; silently does nothing where that is not allowed).
pub fn reset() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

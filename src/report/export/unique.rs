//! Names for temporary directories and lock holders that no other process can share: the host,
//! the PID and a per-process random part (in containers parkcast is often PID 1 in its own
//! namespace, so on a shared volume the PID alone is not unique), and the current time.

use std::sync::atomic::{AtomicU64, Ordering};

/// This machine's host name (`unknown-host` where it cannot be read), with anything but
/// letters, digits, `.` and `_` replaced by `_` so it can sit inside a file name.
pub fn host_name() -> String {
    let raw = raw_host_name().unwrap_or_default();
    let clean: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '_' { c } else { '_' }).collect();
    if clean.is_empty() {
        "unknown-host".into()
    } else {
        clean.chars().take(64).collect()
    }
}

#[cfg(unix)]
fn raw_host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: a writable buffer and its length.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Some(String::from_utf8_lossy(&buf[..end]).into_owned())
}

#[cfg(not(unix))]
fn raw_host_name() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// `HOST-PID-RANDOM`: unique to this process and call.
pub fn suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // SplitMix64 finaliser over the time, the address of a stack value and a counter
    let mut x = (nanos as u64) ^ ((&n as *const u64 as u64).rotate_left(32)) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    format!("{}-{}-{:08x}", host_name(), std::process::id(), x as u32)
}

/// Splits a [`suffix`] into (host, PID); `None` for anything else.
pub fn parse_suffix(s: &str) -> Option<(&str, u32)> {
    let mut parts = s.rsplitn(3, '-');
    let random = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    let host = parts.next()?;
    (random.len() == 8 && random.bytes().all(|b| b.is_ascii_hexdigit()) && !host.is_empty()).then_some((host, pid))
}

/// The current time in UTC, ISO 8601, without a date crate.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_differ_and_parse_back() {
        let (a, b) = (suffix(), suffix());
        assert_ne!(a, b);
        let (host, pid) = parse_suffix(&a).unwrap();
        assert_eq!((host, pid), (host_name().as_str(), std::process::id()));
        assert_eq!(parse_suffix("my-host-12-0000abcd"), Some(("my-host", 12)));
        assert_eq!(parse_suffix("12345"), None);
        assert_eq!(parse_suffix("h-x-0000abcd"), None);
    }

    #[test]
    fn the_time_reads_as_iso_8601() {
        let t = now_utc();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.starts_with("20") && t.ends_with('Z') && &t[10..11] == "T", "{t}");
    }
}

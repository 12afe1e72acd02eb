//! The one way parkcast reads an input file (scenarios and their `extends` chain, seeds,
//! observations, `report_data.json`): it must be a regular file once symlinks are resolved, and
//! it is read up to a size cap.
//!
//! A FIFO, a device such as `/dev/zero` or `/dev/urandom`, or a directory is refused before a
//! byte is read: the file is opened with `O_NONBLOCK` (so that opening a FIFO cannot block) and
//! the *opened handle* is checked, so nothing can swap the file between the check and the read.
//! The cap is enforced while reading too, so a file that grows while it is read stops at the
//! cap instead of filling memory.

use std::io::Read;
use std::path::Path;

const MIB: u64 = 1 << 20;

/// What an input file is. The size cap follows its format: a TOML file costs about 100 bytes
/// of memory per byte of a dense array while it is parsed (the parser keeps each value's
/// formatting), a CSV about 40 bytes per byte of rows, and JSON far less.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A scenario file or a file it `extends`, TOML (the shipped baseline is 15 kB).
    Scenario,
    /// An observations file in TOML (a few kB for the annex's blocks).
    ObservationsToml,
    /// An observations file in CSV.
    ObservationsCsv,
    /// The seeds' `blocks.csv` (20 rows, 10 kB).
    SeedsBlocks,
    /// The seeds' `targets.toml` (a few kB).
    SeedsTargets,
    /// The seeds' `base.toml`, the bureau's base figures (a few kB).
    SeedsBase,
    /// `report_data.json` of an output directory (≈ 45 kB for a run).
    ReportData,
    /// An Excel workbook: a scenario or observations (the baseline's template is ≈ 20 kB).
    Workbook,
}

/// The most a TOML input may hold: 8 MiB, over 500 times the baseline scenario; the worst
/// such file (one array of numbers) loads in about 1 GB.
pub const TOML_LIMIT: u64 = 8 * MIB;
/// The most a CSV input may hold: 64 MiB (over 10⁶ observation rows).
pub const CSV_LIMIT: u64 = 64 * MIB;
/// The most `report_data.json` may hold: 256 MiB.
pub const JSON_LIMIT: u64 = 256 * MIB;

impl InputKind {
    /// The largest file of this kind parkcast reads.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Scenario | InputKind::ObservationsToml | InputKind::SeedsTargets | InputKind::SeedsBase => {
                TOML_LIMIT
            }
            InputKind::ObservationsCsv | InputKind::SeedsBlocks | InputKind::Workbook => CSV_LIMIT,
            InputKind::ReportData => JSON_LIMIT,
        }
    }

    /// How files of the kind are named in messages.
    pub const fn what(self) -> &'static str {
        match self {
            InputKind::Scenario => "scenario files",
            InputKind::ObservationsToml => "TOML observations files",
            InputKind::ObservationsCsv => "CSV observations files",
            InputKind::SeedsBlocks => "blocks.csv files",
            InputKind::SeedsTargets => "targets.toml files",
            InputKind::SeedsBase => "base.toml files",
            InputKind::ReportData => "report data files",
            InputKind::Workbook => "Excel workbooks",
        }
    }
}

/// Why an input file was not read. `Display` gives the reason only (callers put the file name
/// first in their own message form); [`InputError::file`] is the path as given.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Opening or reading failed (e.g. no such file, permission denied).
    #[error("{source}{}", backslash_hint(file, source.kind()))]
    Io { file: String, source: std::io::Error },
    /// Not a regular file (a FIFO, a device, a directory, a socket), possibly through a symlink.
    #[error("it is {}{kind}, not a regular file", via(.link))]
    NotRegular { file: String, kind: &'static str, link: Option<String> },
    /// Larger than the cap for its kind (`size` is `None` when it grew past the cap while read).
    #[error("it is {}; parkcast reads {what} of at most {}", size_text(*.size), human(*.limit))]
    TooLarge { file: String, size: Option<u64>, limit: u64, what: &'static str },
    /// Read as text, but not UTF-8.
    #[error("stream did not contain valid UTF-8")]
    NotUtf8 { file: String },
}

impl InputError {
    /// The path as given.
    pub fn file(&self) -> &str {
        match self {
            InputError::Io { file, .. }
            | InputError::NotRegular { file, .. }
            | InputError::TooLarge { file, .. }
            | InputError::NotUtf8 { file } => file,
        }
    }

    /// The I/O error kind when opening or reading failed.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            InputError::Io { source, .. } => Some(source.kind()),
            _ => None,
        }
    }
}

/// A path with `\\` that is not found: on Linux and macOS a backslash is part of a file
/// name, not a folder separator, so `scenarios\\my.toml` names a file of that name.
pub fn backslash_hint(file: &str, kind: std::io::ErrorKind) -> String {
    if kind != std::io::ErrorKind::NotFound || !file.contains('\\') || cfg!(windows) {
        return String::new();
    }
    let slashed = file.replace('\\', "/");
    let found = if Path::new(&slashed).exists() { format!(" ({slashed} exists)") } else { String::new() };
    format!(
        "; the path has backslashes (\\) as on Windows, but here folders are separated by /: write {slashed}{found}"
    )
}

/// Where and why `bytes` are not UTF-8 text: the 1-based line of the first bad byte and a
/// sentence naming the encoding they look like (GBK/GB18030, UTF-16, an Excel workbook) and how
/// to save them as UTF-8.
pub fn not_utf8(bytes: &[u8]) -> (usize, String) {
    let bad = match std::str::from_utf8(bytes) {
        Ok(_) => return (0, "valid UTF-8".into()),
        Err(e) => e.valid_up_to(),
    };
    let line = 1 + bytes[..bad].iter().filter(|b| **b == b'\n').count();
    let save = "save it as UTF-8 (Excel: 另存为 → \"CSV UTF-8（逗号分隔）\"; Notepad: 另存为, 编码 UTF-8)";
    let what = if bytes.starts_with(b"PK\x03\x04") {
        return (
            0,
            "an Excel workbook or another zip file, not text: save the sheet as CSV UTF-8, or write TOML".into(),
        );
    } else if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) || looks_utf16(bytes) {
        "UTF-16 text (Excel's \"Unicode text\")"
    } else if looks_gbk(&bytes[bad..]) {
        "GBK/GB18030 text (what Excel and Notepad save on Chinese Windows)"
    } else {
        "text in another encoding"
    };
    (line, format!("not UTF-8: it looks like {what}; {save}"))
}

/// Every second byte zero in the first hundred: ASCII text in UTF-16.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(100)];
    head.len() >= 4 && head.iter().filter(|b| **b == 0).count() * 3 >= head.len()
}

/// Bytes from the first bad one on pair up as GBK double-byte characters (lead 0x81–0xFE,
/// trail 0x40–0xFE except 0x7F) for the next few characters.
fn looks_gbk(rest: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < rest.len() && pairs < 4 {
        let b = rest[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match rest.get(i + 1) {
            Some(&t) if (0x81..=0xfe).contains(&b) && (0x40..=0xfe).contains(&t) && t != 0x7f => {
                pairs += 1;
                i += 2;
            }
            _ => return false,
        }
    }
    pairs > 0
}

fn via(link: &Option<String>) -> String {
    match link {
        Some(target) => format!("a symlink to {}, ", crate::text::printable(target)),
        None => String::new(),
    }
}

fn size_text(size: Option<u64>) -> String {
    match size {
        Some(bytes) => human(bytes),
        None => "larger than that (it grew while being read)".to_string(),
    }
}

/// A size exactly: whole MiB as `64 MiB`, anything else in bytes.
fn human(bytes: u64) -> String {
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads the whole of `path`, a file of `kind`: a regular file (after symlinks) of at most
/// `kind.limit()` bytes.
pub fn read(path: &Path, kind: InputKind) -> Result<Vec<u8>, InputError> {
    read_capped(path, kind, kind.limit())
}

/// [`read`], as UTF-8 text.
pub fn read_text(path: &Path, kind: InputKind) -> Result<String, InputError> {
    let bytes = read(path, kind)?;
    String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { file: path.display().to_string() })
}

fn read_capped(path: &Path, kind: InputKind, limit: u64) -> Result<Vec<u8>, InputError> {
    let file_name = || path.display().to_string();
    let io = |source: std::io::Error| InputError::Io { file: file_name(), source };
    let mut file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular {
            file: file_name(),
            kind: file_type_name(&meta.file_type()),
            link: symlink_target(path),
        });
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge { file: file_name(), size: Some(meta.len()), limit, what: kind.what() });
    }
    // the file may grow after fstat: read one byte past the cap at most, to tell
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file).take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { file: file_name(), size: None, limit, what: kind.what() });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one;
    // O_NOCTTY: a terminal device never becomes the controlling terminal. Neither changes how
    // a regular file is read.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn file_type_name(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn file_type_name(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Where a symlink at `path` leads in the end, for messages (`None` if `path` is no symlink).
fn symlink_target(path: &Path) -> Option<String> {
    let is_link = std::fs::symlink_metadata(path).ok()?.file_type().is_symlink();
    is_link.then(|| std::fs::canonicalize(path).ok()).flatten().map(|p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read(&p, InputKind::Scenario).unwrap(), b"x = 1\n");
        assert_eq!(read_text(&p, InputKind::Scenario).unwrap(), "x = 1\n");
    }

    #[test]
    fn refuses_devices_directories_and_fifos_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(Path::new("/dev/zero"), InputKind::Scenario).unwrap_err();
        assert_eq!(e.to_string(), "it is a character device, not a regular file");
        let e = read(dir.path(), InputKind::SeedsTargets).unwrap_err();
        assert!(e.to_string().starts_with("it is a directory, not a regular file"), "{e}");
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.display().to_string()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read(&fifo, InputKind::ObservationsCsv).unwrap_err();
        assert_eq!(e.to_string(), "it is a named pipe, not a regular file");
    }

    #[test]
    fn names_where_a_symlink_leads() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("random.toml");
        std::os::unix::fs::symlink("/dev/urandom", &link).unwrap();
        let e = read(&link, InputKind::Scenario).unwrap_err();
        assert_eq!(e.file(), link.display().to_string());
        assert_eq!(e.to_string(), "it is a symlink to /dev/urandom, a character device, not a regular file");
    }

    #[test]
    fn refuses_files_over_the_cap_before_and_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(InputKind::ObservationsCsv.limit() + 1).unwrap(); // sparse: no bytes written
        let e = read(&p, InputKind::ObservationsCsv).unwrap_err();
        assert_eq!(e.to_string(), "it is 67108865 bytes; parkcast reads CSV observations files of at most 64 MiB");
        // exactly at a (small) cap is allowed; one byte more is not
        f.set_len(10).unwrap();
        assert_eq!(read_capped(&p, InputKind::ObservationsCsv, 10).unwrap().len(), 10);
        assert!(matches!(read_capped(&p, InputKind::ObservationsCsv, 9), Err(InputError::TooLarge { .. })));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(512), "512 bytes");
        assert_eq!(human(64 * MIB), "64 MiB");
        assert_eq!(human(64 * MIB + 1), "67108865 bytes");
    }

    #[test]
    fn a_missing_file_keeps_the_io_error() {
        let e = read(Path::new("/no/such/file.toml"), InputKind::Scenario).unwrap_err();
        assert_eq!(e.io_kind(), Some(std::io::ErrorKind::NotFound));
    }
}

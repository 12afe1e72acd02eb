//! Comparing output directories: every file byte for byte, the metadata that describes how a
//! run went (not what it computed) taken out.

use super::files_under;
use std::path::Path;

/// The fields of run.json that describe how a run went, not what it computed.
pub const VOLATILE: [&str; 3] = ["threads", "wall_seconds", "date"];

pub fn without_volatile_fields(mut v: serde_json::Value) -> serde_json::Value {
    let obj = v.as_object_mut().unwrap();
    for key in VOLATILE {
        assert!(obj.remove(key).is_some(), "run metadata has {key}");
    }
    v
}

pub fn run_json_without_volatile_fields(path: &Path) -> serde_json::Value {
    without_volatile_fields(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

/// Every file of an output directory, with the volatile metadata taken out: run.json and
/// report_data.json without `threads`, `wall_seconds` and `date`, report.html without the date.
pub fn comparable_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let date = meta["date"].as_str().unwrap().to_string();
    files_under(out)
        .into_iter()
        .map(|(name, bytes)| {
            let bytes = match name.as_str() {
                "run.json" => without_volatile_fields(serde_json::from_slice(&bytes).unwrap()).to_string().into_bytes(),
                "report_data.json" => {
                    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    v["meta"] = without_volatile_fields(v["meta"].take());
                    v.to_string().into_bytes()
                }
                "report.html" => {
                    let html = String::from_utf8(bytes).unwrap();
                    assert!(html.contains(&date), "report.html shows the run's date");
                    html.replace(&date, "<date>").into_bytes()
                }
                _ => bytes,
            };
            (name, bytes)
        })
        .collect()
}

/// Asserts two output directories hold the same files with the same bytes (metadata aside).
pub fn assert_same_outputs(a: &Path, b: &Path) {
    let (fa, fb) = (comparable_files(a), comparable_files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "{} and {} hold different files", a.display(), b.display());
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs between {} and {}", a.display(), b.display());
    }
}

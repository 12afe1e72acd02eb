//! Default output directories of runs with `--set` overrides: their own, named from the
//! overrides, so that a variant never replaces the results of the scenario as written
//! (`outputs/baseline+levers.parallel_approvals.value=6/`).

use sha2::{Digest, Sha256};

/// The longest directory name made from overrides before they are replaced by a hash.
const MAX_NAMED_BYTES: usize = 80;

/// `base` (a scenario's directory name) with `overrides` (as typed, `KEY.PATH=VALUE`): `base`
/// alone without overrides, else `base+override+override…` made a safe path component; when
/// that is longer than 80 bytes, `base+set-` and 8 hex digits of a hash of the overrides.
pub fn with_overrides(base: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return base.to_string();
    }
    let named = crate::scenario::dir_name(&format!("{base}+{}", overrides.join("+")));
    match named {
        Ok(n) if n.len() <= MAX_NAMED_BYTES => n,
        _ => {
            let hash = Sha256::digest(overrides.join("\n").as_bytes());
            let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("{base}+set-{hex}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_name_their_own_directory() {
        assert_eq!(with_overrides("baseline", &[]), "baseline");
        assert_eq!(
            with_overrides("baseline", &["levers.parallel_approvals.value=6".into()]),
            "baseline+levers.parallel_approvals.value=6"
        );
        assert_eq!(
            with_overrides("baseline", &["settings.target_set=\"nanhu_2027\"".into(), "a.b=1".into()]),
            "baseline+settings.target_set=_nanhu_2027_+a.b=1"
        );
        let long: Vec<String> = (0..9).map(|i| format!("params.start.delay_months.pert.mode={i}")).collect();
        let name = with_overrides("baseline", &long);
        assert!(name.starts_with("baseline+set-") && name.len() == "baseline+set-".len() + 8, "{name}");
        assert_ne!(name, with_overrides("baseline", &long[..8]));
        assert_eq!(with_overrides("x", &["a/../../b=1".into()]), "x+a_.._.._b=1");
    }
}

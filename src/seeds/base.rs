//! `seeds/base.toml`: the existing base's 2024 figures as the bureau holds them, per district,
//! each with its status (`assumed` or `official`) and, when official, its source.
//!
//! A figure entered for all three districts replaces the scenario's prior for the central city
//! by their sum: labelled `source` when every district's figure is official, else `assumption`
//! (and shown as 待核实). A figure missing for any district leaves the scenario's prior.

use super::kinds::District;
use crate::scenario::ParamId;
use crate::toml_tree::{self, Fields, Problems};

/// The figures the file can hold: the parameter each one sets.
pub const BASE_FILE_FIGURES: [(&str, ParamId); 3] = [
    ("revenue_2024_cny", ParamId::BaseRevenue2024Cny),
    ("specialized_2024", ParamId::BaseSpecialized2024),
    ("tech_smes_2024", ParamId::BaseTechSmes2024),
];

/// How sure a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureStatus {
    /// An estimate, to be verified (待核实).
    Assumed,
    /// A figure the bureau holds from statistics, with its source.
    Official,
}

/// One district's entry of one figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub status: FigureStatus,
    pub value: Option<f64>,
    pub source: Option<String>,
    /// Where it was written (`file:line`).
    pub at: String,
}

/// The base file: per district (in [`District::ALL`] order) and figure (in
/// [`BASE_FILE_FIGURES`] order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseFile {
    pub file: String,
    pub figures: Vec<[Option<Figure>; 3]>,
}

/// A city-wide figure the file sets: its value and how it is labelled.
#[derive(Clone, Debug, PartialEq)]
pub struct CityFigure {
    pub param: ParamId,
    pub value: f64,
    pub official: bool,
    /// What the label says: the file and the districts' sources or statuses.
    pub basis: String,
}

impl BaseFile {
    /// The figures entered for every district, summed for the central city.
    pub fn city_figures(&self) -> Vec<CityFigure> {
        let mut out = Vec::new();
        for (k, (key, param)) in BASE_FILE_FIGURES.iter().enumerate() {
            let entries: Vec<(District, &Figure)> = District::ALL
                .iter()
                .zip(&self.figures)
                .filter_map(|(d, row)| row[k].as_ref().map(|f| (*d, f)))
                .filter(|(_, f)| f.value.is_some())
                .collect();
            if entries.len() < District::ALL.len() {
                continue;
            }
            let value = entries.iter().map(|(_, f)| f.value.unwrap_or(0.0)).sum();
            let official = entries.iter().all(|(_, f)| f.status == FigureStatus::Official);
            let parts: Vec<String> = entries
                .iter()
                .map(|(d, f)| match (&f.status, &f.source) {
                    (FigureStatus::Official, Some(s)) => format!("{} {s}", d.label_zh()),
                    _ => format!("{} 待核实 (assumed)", d.label_zh()),
                })
                .collect();
            out.push(CityFigure {
                param: *param,
                value,
                official,
                basis: format!("{}: {key}, sum of the districts' figures ({})", self.file, parts.join("; ")),
            });
        }
        out
    }
}

/// Parses `base.toml`, reporting every problem with its line and key.
pub fn parse_base_file(file: &str, text: &str) -> Result<BaseFile, Problems> {
    let mut problems = Problems::default();
    let root = toml_tree::parse(file, text).map_err(|p| Problems(vec![p]))?;
    let mut figures: Vec<[Option<Figure>; 3]> = vec![[None, None, None]; District::ALL.len()];
    if let Some(top) = Fields::of(&root, "", &mut problems) {
        // a district by its key or its Chinese name (`["南湖区"]`)
        let mut allowed: Vec<&str> = District::ALL.iter().map(|d| d.key()).collect();
        allowed.extend(District::ALL.iter().map(|d| d.label_zh()));
        top.allow_only(&allowed, &mut problems);
        for (name, node) in top.table.iter() {
            let Some(d) = District::from_key(name).or_else(|| District::from_zh(name)) else { continue };
            let i = District::ALL.iter().position(|x| *x == d).expect("a district");
            if figures[i].iter().any(Option::is_some) {
                problems.push(
                    &node.origin,
                    name,
                    format!("{} is given twice (as {} and {})", d.label_zh(), d.key(), d.label_zh()),
                );
                continue;
            }
            let Some(df) = Fields::of(node, name, &mut problems) else { continue };
            let keys: Vec<&str> = BASE_FILE_FIGURES.iter().map(|f| f.0).collect();
            df.allow_only(&keys, &mut problems);
            for (k, (key, _)) in BASE_FILE_FIGURES.iter().enumerate() {
                let Some(fnode) = df.node(key) else { continue };
                let path = df.child(key);
                let Some(ff) = Fields::of(fnode, &path, &mut problems) else { continue };
                if let Some(f) = parse_figure(file, &ff, &mut problems) {
                    figures[i][k] = Some(f);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(BaseFile { file: file.to_string(), figures })
    } else {
        Err(problems)
    }
}

fn parse_figure(file: &str, f: &Fields, problems: &mut Problems) -> Option<Figure> {
    let before = problems.len();
    f.allow_only(&["status", "value", "source"], problems);
    let status = f.string("status", problems).and_then(|s| match s {
        "assumed" => Some(FigureStatus::Assumed),
        "official" => Some(FigureStatus::Official),
        other => {
            problems.push(
                f.origin,
                f.child("status"),
                format!("{other:?} is not allowed (allowed: assumed, official)"),
            );
            None
        }
    });
    let value = f.opt_number("value", problems);
    if let Some(v) = value {
        if v < 0.0 {
            problems.push(f.origin, f.child("value"), format!("{v} is negative (a stock or a revenue is ≥ 0)"));
        }
    }
    let source = f.opt_string("source", problems).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    if status == Some(FigureStatus::Official) {
        if value.is_none() {
            problems.push(f.origin, f.child("value"), "missing: an official figure needs its value");
        }
        if source.is_none() {
            problems.push(
                f.origin,
                f.child("source"),
                "missing: an official figure needs its source (document, table, date)",
            );
        }
    }
    if problems.len() > before {
        return None;
    }
    let line = match f.origin {
        toml_tree::Origin::File { line, .. } => *line,
        _ => 0,
    };
    Some(Figure { status: status?, value, source, at: format!("{file}:{line}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_OFFICIAL: &str = r#"
[nanhu]
revenue_2024_cny = { status = "official", value = 2.0e10, source = "南湖区统计局 2024" }
[xiuzhou]
revenue_2024_cny = { status = "official", value = 3.0e10, source = "秀洲区统计局 2024" }
[etdz]
revenue_2024_cny = { status = "official", value = 1.5e10, source = "经开区 2024" }
specialized_2024 = { status = "assumed", value = 40 }
"#;

    #[test]
    fn figures_entered_for_every_district_are_summed_and_labelled() {
        let b = parse_base_file("base.toml", ALL_OFFICIAL).unwrap();
        let city = b.city_figures();
        assert_eq!(city.len(), 1, "{city:?}"); // 专精特新 only for one district: the prior stays
        assert_eq!((city[0].param, city[0].value, city[0].official), (ParamId::BaseRevenue2024Cny, 6.5e10, true));
        assert!(city[0].basis.contains("秀洲区统计局 2024"), "{}", city[0].basis);
        let assumed = ALL_OFFICIAL.replace(
            r#"{ status = "official", value = 1.5e10, source = "经开区 2024" }"#,
            r#"{ status = "assumed", value = 1.5e10 }"#,
        );
        let city = parse_base_file("base.toml", &assumed).unwrap().city_figures();
        assert!(!city[0].official && city[0].basis.contains("经开区 待核实"), "{city:?}");
    }

    #[test]
    fn bad_entries_are_refused_naming_the_key() {
        let bad = "[nanhu]\nrevenue_2024_cny = { status = \"official\", value = -1 }\n[xinzhou]\n";
        let e = parse_base_file("base.toml", bad).unwrap_err().to_string();
        for want in ["nanhu.revenue_2024_cny.value", "negative", "nanhu.revenue_2024_cny.source", "xinzhou"] {
            assert!(e.contains(want), "{want}: {e}");
        }
    }
}

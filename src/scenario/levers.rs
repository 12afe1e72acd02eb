//! Policy levers: the choices the policy makes (sections 五–七 of the seed), kept apart from
//! the uncertainties. Each lever has a value inside an allowed range, names the model parameters
//! it acts on and the departments responsible (责任单位): as the seed lists them, or assumed,
//! with a note saying so, where it lists none.

use crate::month::Month;

/// How a lever's value is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LeverValue {
    /// A number in a range (`value = …`).
    Number { off: f64, lo: f64, hi: f64 },
    /// The 有进有出 replacement rule: `enabled`, `checkpoint`, `lag_months`.
    Replacement,
}

/// The definition of one lever.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeverDef {
    pub name: &'static str,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub value: LeverValue,
    pub unit: &'static str,
    /// What the value does to the model.
    pub effect: &'static str,
    /// Parameter paths (or model steps) it acts on.
    pub acts_on: &'static [&'static str],
    /// The seed's section.
    pub seed_section: &'static str,
    /// 责任单位 in Chinese, lead first: as the seed names them, or as assumed where it names
    /// none (then `departments_note` says so).
    pub departments: &'static [&'static str],
    /// Where the departments come from when the seed does not list them for this measure.
    pub departments_note: Option<&'static str>,
}

const APPROVAL_DEPTS: &[&str] =
    &["市经信局", "市发展改革委", "市生态环境局", "市建设局", "市应急管理局", "市消防救援局"];

/// Every lever parkcast models.
pub const LEVERS: &[LeverDef] = &[
    LeverDef {
        name: "parallel_approvals",
        label_zh: "并联审批、双评合一",
        label_en: "parallel approvals and joint environmental/energy review",
        value: LeverValue::Number { off: 0.0, lo: 0.0, hi: 12.0 },
        unit: "months",
        effect: "months cut from every pre-start delay (late start, decision lag), never below zero",
        acts_on: &["start.delay_months", "start.decision_lag_months"],
        seed_section: "六(四)",
        departments: APPROVAL_DEPTS,
        departments_note: None,
    },
    LeverDef {
        name: "multi_plan",
        label_zh: "多规协同、用地功能优化",
        label_en: "multi-plan coordination (land-use adjustment)",
        value: LeverValue::Number { off: 0.0, lo: 0.0, hi: 1.0 },
        unit: "share",
        effect: "share cut from the extra delay of land that must be rezoned",
        acts_on: &["start.rezoning_delay_months"],
        seed_section: "六(一)",
        departments: &["市经信局", "市发展改革委", "市自然资源和规划局", "南湖区人民政府", "秀洲区人民政府", "嘉兴经济技术开发区管委会"],
        departments_note: None,
    },
    LeverDef {
        name: "special_fund",
        label_zh: "“腾笼换鸟”专项经费（土地收入0.5%）",
        label_en: "special fund from 0.5% of land revenue",
        value: LeverValue::Number { off: 0.0, lo: 0.0, hi: 0.5 },
        unit: "share",
        effect: "share cut from renovation time (moving firms out and rebuilding)",
        acts_on: &["renovation.vacate_months", "build.duration_months (renovation)"],
        seed_section: "六(六)",
        departments: &["市财政局", "市经信局"],
        departments_note: None,
    },
    LeverDef {
        name: "industry_funds",
        label_zh: "产业基金支持",
        label_en: "industry funds",
        value: LeverValue::Number { off: 1.0, lo: 1.0, hi: 2.0 },
        unit: "multiplier",
        effect: "multiplies the 专精特新 share and divides the floor area per firm",
        acts_on: &["firms.specialized_share", "firms.area_per_firm_m2"],
        seed_section: "六(五)",
        departments: &["市财政局", "市发展改革委", "市经信局", "市科技局", "市商务局"],
        departments_note: None,
    },
    LeverDef {
        name: "multi_storey",
        label_zh: "工业上楼、规划指标统筹",
        label_en: "multi-storey factories (工业上楼) and flexible planning indicators",
        value: LeverValue::Number { off: 1.0, lo: 1.0, hi: 1.6 },
        unit: "multiplier",
        effect: "multiplies the plot ratio of blocks not yet started",
        acts_on: &["floor.plot_ratio"],
        seed_section: "五(二)、六(三)",
        departments: &["市自然资源和规划局", "市发展改革委", "市建设局"],
        departments_note: None,
    },
    LeverDef {
        name: "joint_acceptance",
        label_zh: "竣工验收备案一次联合办理",
        label_en: "joint completion acceptance",
        value: LeverValue::Number { off: 0.0, lo: 0.0, hi: 6.0 },
        unit: "months",
        effect: "months cut from completion to operation, never below zero",
        acts_on: &["build.fitout_months"],
        seed_section: "六(四)",
        departments: APPROVAL_DEPTS,
        departments_note: None,
    },
    LeverDef {
        name: "investment_promotion",
        label_zh: "招商引资",
        label_en: "investment promotion",
        value: LeverValue::Number { off: 1.0, lo: 1.0, hi: 2.0 },
        unit: "multiplier",
        effect: "divides the time to fill (half-fill months) and multiplies the expected anchor firms",
        acts_on: &["occupancy.half_fill_months", "firms.anchor_count"],
        seed_section: "七(三)",
        departments: &["都市型工业发展工作小组", "市商务局", "市经信局", "各区人民政府"],
        departments_note: Some(
            "assumption: 七(三) names no 责任单位; 七(一) puts the 都市型工业发展工作小组 in charge, with 商务 and 经信 among its members, and 六(一) has every measure carried out by the district governments",
        ),
    },
    LeverDef {
        name: "replacement",
        label_zh: "“有进有出”动态调整",
        label_en: "replacement of lagging blocks (有进有出)",
        value: LeverValue::Replacement,
        unit: "rule",
        effect: "a block not started by the checkpoint leaves the list; a reserve block (see [reserve]) joins and starts after the lag",
        acts_on: &["block list", "reserve block"],
        seed_section: "七(二)",
        departments: &["都市型工业发展工作小组", "市经信局", "各区人民政府"],
        departments_note: Some(
            "assumption: 七(二) names no 责任单位; 七(一) puts the 都市型工业发展工作小组 in charge, 经信 leads the block list's measures (六(一)), and the districts run their blocks",
        ),
    },
];

pub fn lever_def(name: &str) -> Option<&'static LeverDef> {
    LEVERS.iter().find(|l| l.name == name)
}

impl LeverDef {
    /// The 责任单位 line: the departments joined with 、, then the note on an assumed list.
    pub fn departments_text(&self) -> String {
        let names = self.departments.join("、");
        match self.departments_note {
            Some(note) => format!("{names} ({note})"),
            None => names,
        }
    }
}

/// The 有进有出 rule as set in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Replacement {
    pub enabled: bool,
    /// A block not started by the end of this month is replaced.
    pub checkpoint: Month,
    /// Months after the checkpoint before the reserve block starts.
    pub lag_months: f64,
}

/// A lever's setting in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverSetting {
    pub def: &'static LeverDef,
    /// For number levers, the value (the off value if the scenario does not set it).
    pub value: f64,
    /// The range analysts may sweep (within the lever's hard range).
    pub range: (f64, f64),
    /// Where the setting came from (`default` if not set).
    pub origin: String,
    pub note: Option<String>,
}

/// All levers of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Levers {
    pub settings: Vec<LeverSetting>,
    pub replacement: Replacement,
}

impl Levers {
    /// The value of a number lever.
    pub fn value(&self, name: &str) -> f64 {
        self.settings.iter().find(|s| s.def.name == name).map(|s| s.value).expect("known lever")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place a Chinese page shows a 责任单位 (measured effects, the first screen's actions,
    /// a package's departments when it names none) reads it from here.
    #[test]
    fn every_lever_names_its_departments_in_chinese_and_an_assumed_list_says_so() {
        for l in LEVERS {
            assert!(!l.departments.is_empty(), "{}", l.name);
            for d in l.departments {
                assert!(!d.chars().any(|c| c.is_ascii_alphabetic()), "{}: 责任单位 {d:?} has Latin letters", l.name);
                assert!(!d.contains(['(', ')', ';', ',']), "{}: 责任单位 {d:?} has ASCII punctuation", l.name);
            }
            if let Some(note) = l.departments_note {
                assert!(note.starts_with("assumption: "), "{}: {note}", l.name);
                assert!(l.departments_text().ends_with(&format!("({note})")));
            }
        }
        let lacking: Vec<&str> = LEVERS.iter().filter(|l| l.departments_note.is_some()).map(|l| l.name).collect();
        assert_eq!(lacking, ["investment_promotion", "replacement"]);
    }
}

//! `seeds/blocks.csv`: the 20 key blocks of the policy's annex, transcribed, with the
//! classifications parkcast adds.

use super::kinds::{BuildPath, DeveloperKind, District, IndustryGroup, LandType, StartStatusKind, Zone};
use super::SeedError;
use crate::month::Month;

/// Number of rows of the annex table (都市型工业建设重点推进区块表).
pub const ANNEX_ROWS: usize = 20;
/// Sum of the annex's industrial land areas, in mu.
pub const ANNEX_TOTAL_MU: f64 = 2382.1;
/// One mu in square metres.
pub const M2_PER_MU: f64 = 666.67;

/// The columns of `seeds/blocks.csv`, in order.
pub const COLUMNS: [&str; 24] = [
    "id",
    "district_zh",
    "district_en",
    "batch",
    "batch_zh",
    "name_zh",
    "name_en",
    "street_zh",
    "street_en",
    "land_mu",
    "land_type",
    "start_zh",
    "start_status",
    "start_planned",
    "industry_zh",
    "industry_en",
    "developer_zh",
    "developer_en",
    "added_developer_kind",
    "added_zone",
    "added_industry_group",
    "added_path",
    "known_start",
    "known_start_source",
];

/// The policy month (2024-11, the model's month 0): a published start of a block the annex lists
/// as 已开工 must lie before it.
pub const POLICY_MONTH: (i32, u32) = (2024, 11);

/// When a block starts (or started), as the annex gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartStatus {
    /// 已开工: construction had begun at the policy date.
    Started,
    /// A planned start month (e.g. 2024年12月).
    PlannedMonth(Month),
    /// A planned start year only (e.g. 2025年).
    PlannedYear(i32),
    /// 未定: no start date.
    Undetermined,
}

impl StartStatus {
    /// The month the start is due by: the planned month, or for a plan for a year only that
    /// year's December; `None` for a block already started or with no date.
    pub fn planned_month(self) -> Option<Month> {
        match self {
            StartStatus::PlannedMonth(m) => Some(m),
            StartStatus::PlannedYear(y) => Month::new(y, 12),
            StartStatus::Started | StartStatus::Undetermined => None,
        }
    }

    pub fn kind(self) -> StartStatusKind {
        match self {
            StartStatus::Started => StartStatusKind::Started,
            StartStatus::PlannedMonth(_) | StartStatus::PlannedYear(_) => StartStatusKind::Planned,
            StartStatus::Undetermined => StartStatusKind::Undetermined,
        }
    }
    /// Short English description, e.g. `planned 2024-12`.
    pub fn describe_en(self) -> String {
        match self {
            StartStatus::Started => "started".into(),
            StartStatus::PlannedMonth(m) => format!("planned {m}"),
            StartStatus::PlannedYear(y) => format!("planned {y}"),
            StartStatus::Undetermined => "undetermined".into(),
        }
    }
}

/// When a started block began construction, as published (not in the annex).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartedIn {
    /// The month is published (e.g. 2022-06).
    Month(Month),
    /// Only the year is published (e.g. 2021): the month within it is uncertain.
    Year(i32),
}

impl std::fmt::Display for StartedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartedIn::Month(m) => write!(f, "{m}"),
            StartedIn::Year(y) => write!(f, "{y}"),
        }
    }
}

/// A published start of a started block, with where it was published.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownStart {
    pub started_in: StartedIn,
    /// Where the start was published and what the source says.
    pub source: String,
}

/// One key block of the annex.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// 序号, 1–20.
    pub id: u32,
    pub district: District,
    /// 启动批次: 1 or 2.
    pub batch: u8,
    pub name_zh: String,
    pub name_en: String,
    pub street_zh: String,
    pub street_en: String,
    /// 工业用地面积, in mu.
    pub land_mu: f64,
    pub land_type: LandType,
    /// 开工时间 as written.
    pub start_zh: String,
    pub start: StartStatus,
    pub industry_zh: String,
    pub industry_en: String,
    pub developer_zh: String,
    pub developer_en: String,
    /// Added classification (not in the annex).
    pub developer_kind: DeveloperKind,
    /// Added classification (not in the annex).
    pub zone: Zone,
    /// Added classification (not in the annex).
    pub industry_group: IndustryGroup,
    /// Added classification (not in the annex).
    pub path: BuildPath,
    /// A published construction start (not in the annex; only for started blocks).
    pub known_start: Option<KnownStart>,
}

impl Block {
    pub fn land_area_m2(&self) -> f64 {
        self.land_mu * M2_PER_MU
    }
}

/// Parses the block table. `file` names the source in error messages.
pub fn parse_blocks(file: &str, bytes: &[u8]) -> Result<Vec<Block>, SeedError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SeedError::Utf8 {
        file: file.to_string(),
        line: 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| SeedError::Csv { file: file.to_string(), message: e.to_string() })?.clone();
    let index_of = |name: &str| headers.iter().position(|h| h.trim() == name);
    let mut indices = Vec::with_capacity(COLUMNS.len());
    for column in COLUMNS {
        match index_of(column) {
            Some(i) => indices.push(i),
            None => return Err(SeedError::MissingColumn { file: file.to_string(), column: column.to_string() }),
        }
    }
    let mut blocks = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SeedError::Csv { file: file.to_string(), message: e.to_string() })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let cell = |c: usize| record.get(indices[c]).unwrap_or("").trim();
        let row = RowReader { file, line, cell: &cell };
        blocks.push(row.block()?);
    }
    check_table(file, &blocks)?;
    Ok(blocks)
}

struct RowReader<'a> {
    file: &'a str,
    line: usize,
    cell: &'a dyn Fn(usize) -> &'a str,
}

impl RowReader<'_> {
    fn get(&self, column: &str) -> &str {
        let c = COLUMNS.iter().position(|c| *c == column).expect("known column");
        (self.cell)(c)
    }

    fn bad(&self, column: &str, allowed: impl Into<String>) -> SeedError {
        SeedError::BadCell {
            file: self.file.to_string(),
            line: self.line,
            column: column.to_string(),
            value: self.get(column).to_string(),
            allowed: allowed.into(),
        }
    }

    fn text(&self, column: &str) -> Result<String, SeedError> {
        let v = self.get(column);
        if v.is_empty() {
            return Err(self.bad(column, "a non-empty text"));
        }
        Ok(v.to_string())
    }

    fn keyed<T>(&self, column: &str, from_key: fn(&str) -> Option<T>, keys: Vec<&str>) -> Result<T, SeedError> {
        from_key(self.get(column)).ok_or_else(|| self.bad(column, format!("one of {}", keys.join(", "))))
    }

    fn block(&self) -> Result<Block, SeedError> {
        let id: u32 = self
            .get("id")
            .parse()
            .ok()
            .filter(|id| (1..=ANNEX_ROWS as u32).contains(id))
            .ok_or_else(|| self.bad("id", format!("a whole number from 1 to {ANNEX_ROWS}")))?;
        let district = District::from_zh(self.get("district_zh"))
            .ok_or_else(|| self.bad("district_zh", "南湖区, 秀洲区 or 经开区"))?;
        let batch: u8 = match self.get("batch") {
            "1" => 1,
            "2" => 2,
            _ => return Err(self.bad("batch", "1 or 2")),
        };
        let land_mu: f64 = self
            .get("land_mu")
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .ok_or_else(|| self.bad("land_mu", "a positive number of mu"))?;
        let land_type = self.keyed("land_type", LandType::from_key, LandType::keys())?;
        let start_kind = self.keyed("start_status", StartStatusKind::from_key, StartStatusKind::keys())?;
        let planned = self.get("start_planned");
        let start = match start_kind {
            StartStatusKind::Started | StartStatusKind::Undetermined if !planned.is_empty() => {
                return Err(self.bad("start_planned", "empty unless start_status is planned"))
            }
            StartStatusKind::Started => StartStatus::Started,
            StartStatusKind::Undetermined => StartStatus::Undetermined,
            StartStatusKind::Planned => {
                if let Ok(month) = planned.parse::<Month>() {
                    StartStatus::PlannedMonth(month)
                } else if let Some(year) = planned.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)) {
                    StartStatus::PlannedYear(year)
                } else {
                    return Err(self.bad("start_planned", "a month YYYY-MM or a year YYYY for a planned start"));
                }
            }
        };
        Ok(Block {
            id,
            district,
            batch,
            name_zh: self.text("name_zh")?,
            name_en: self.text("name_en")?,
            street_zh: self.text("street_zh")?,
            street_en: self.text("street_en")?,
            land_mu,
            land_type,
            start_zh: self.text("start_zh")?,
            start,
            industry_zh: self.text("industry_zh")?,
            industry_en: self.text("industry_en")?,
            developer_zh: self.text("developer_zh")?,
            developer_en: self.text("developer_en")?,
            developer_kind: self.keyed("added_developer_kind", DeveloperKind::from_key, DeveloperKind::keys())?,
            zone: self.keyed("added_zone", Zone::from_key, Zone::keys())?,
            industry_group: self.keyed("added_industry_group", IndustryGroup::from_key, IndustryGroup::keys())?,
            path: self.keyed("added_path", BuildPath::from_key, BuildPath::keys())?,
            known_start: self.known_start(start)?,
        })
    }

    /// The published start of a started block: a month YYYY-MM or a year YYYY before the policy
    /// month, with a non-empty source; both cells empty where nothing is published.
    fn known_start(&self, start: StartStatus) -> Result<Option<KnownStart>, SeedError> {
        let (when, source) = (self.get("known_start"), self.get("known_start_source"));
        if when.is_empty() {
            if !source.is_empty() {
                return Err(self.bad("known_start_source", "empty when known_start is empty"));
            }
            return Ok(None);
        }
        if start != StartStatus::Started {
            return Err(self.bad("known_start", "empty unless start_status is started (已开工)"));
        }
        let policy = Month::new(POLICY_MONTH.0, POLICY_MONTH.1).expect("valid");
        let allowed =
            || format!("a published start month YYYY-MM or year YYYY from 2000, before the policy month {policy}");
        let started_in = if let Ok(m) = when.parse::<Month>() {
            StartedIn::Month(m)
        } else if let Ok(y) = when.parse::<i32>() {
            StartedIn::Year(y)
        } else {
            return Err(self.bad("known_start", allowed()));
        };
        let (first, last) = match started_in {
            StartedIn::Month(m) => (m, m),
            StartedIn::Year(y) => match (Month::new(y, 1), Month::new(y, 12)) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(self.bad("known_start", allowed())),
            },
        };
        if first.year() < 2000 || last >= policy {
            return Err(self.bad("known_start", allowed()));
        }
        if source.is_empty() {
            return Err(self.bad("known_start_source", "a non-empty text: where the start was published"));
        }
        Ok(Some(KnownStart { started_in, source: source.to_string() }))
    }
}

/// Whole-table checks: the annex has exactly 20 rows with ids 1–20 and 2,382.1 mu in all.
fn check_table(file: &str, blocks: &[Block]) -> Result<(), SeedError> {
    if blocks.len() != ANNEX_ROWS {
        return Err(SeedError::RowCount { file: file.to_string(), found: blocks.len(), expected: ANNEX_ROWS });
    }
    for (i, b) in blocks.iter().enumerate() {
        if b.id != i as u32 + 1 {
            return Err(SeedError::Table {
                file: file.to_string(),
                message: format!("row {} has id {}; ids must run 1 to {ANNEX_ROWS} in order, once each", i + 1, b.id),
            });
        }
    }
    let total: f64 = blocks.iter().map(|b| b.land_mu).sum();
    if (total - ANNEX_TOTAL_MU).abs() > 0.05 {
        return Err(SeedError::Table {
            file: file.to_string(),
            message: format!("land areas sum to {total:.1} mu; the annex totals {ANNEX_TOTAL_MU} mu"),
        });
    }
    Ok(())
}

//! `parkcast template`: a scenario's merged tree (its `extends` chain and `--set` overrides
//! applied) as an editable workbook — the 参数 sheet with one row per distribution, the 设置
//! sheet with every other value, and a 说明 sheet — that [`super::scenario_tree`] reads back
//! into the same tree, so the workbook runs exactly as the scenario does.

use super::layout::{self, Col, LIST_FIELDS, PARAMS_SHEET, README_SHEET, SETTINGS_SHEET, SETTING_TYPES};
use crate::report::workbook::{add_sheet, first_data_row, Cell, Column, Sheet};
use crate::scenario::distribution::FAMILIES;
use crate::toml_tree::{Node, Table, Value};
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Workbook, XlsxError};

/// One distribution of the scenario: where it is set and how.
struct ParamRow {
    parameter: String,
    scope: String,
    family: String,
    /// (field, cell) for the distribution's numbers.
    fields: Vec<(&'static str, Cell)>,
    kind: Option<String>,
    source: Option<String>,
    assumption: Option<String>,
}

/// Any other value: its key path, type and value.
struct SettingRow {
    key: String,
    kind: &'static str,
    value: Cell,
}

/// The keys a template leaves out: a workbook's name is its file's name, so that a copy saved
/// under another name (Excel's Save As) is another scenario, with outputs of its own; and the
/// scenario's labels describe the scenario it was made from, not the copy (as a label is not
/// inherited through `extends`). A row the user adds for any of them is read.
const NOT_TEMPLATED: [&str; 3] = ["scenario.name", "scenario.label_zh", "scenario.label_en"];

/// The bytes of the template workbook of `root` (a scenario's merged tree), to be saved as
/// `name`.xlsx.
pub fn template_bytes(root: &Node, name: &str) -> Result<Vec<u8>, XlsxError> {
    let mut params = Vec::new();
    let mut settings = Vec::new();
    walk(root, &mut Vec::new(), &mut params, &mut settings);
    settings.retain(|s| !NOT_TEMPLATED.contains(&s.key.as_str()));
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 10, 31)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("parkcast scenario: {name}"))
            .set_comment("written by parkcast template; run it with parkcast run FILE.xlsx")
            .set_creation_datetime(&created),
    );
    let p = params_sheet(&params);
    add_sheet(&mut book, &p)?;
    let families: Vec<&str> = FAMILIES.to_vec();
    let dist_col = layout::PARAM_HEAD.iter().position(|c| c.key == "distribution").expect("a column") as u16;
    list_validation(&mut book, &p, dist_col, &families, "分布 distribution")?;
    let s = settings_sheet(&settings);
    add_sheet(&mut book, &s)?;
    let type_col = layout::SETTING_COLUMNS.iter().position(|c| c.key == "type").expect("a column") as u16;
    list_validation(&mut book, &s, type_col, &SETTING_TYPES, "类型 type")?;
    add_sheet(&mut book, &readme_sheet())?;
    book.save_to_buffer()
}

/// A drop-down list of `allowed` on column `col` of `sheet`'s data rows (and a few more for
/// rows the user adds).
fn list_validation(
    book: &mut Workbook,
    sheet: &Sheet,
    col: u16,
    allowed: &[&str],
    title: &str,
) -> Result<(), XlsxError> {
    let first = first_data_row(sheet);
    let rows = sheet.columns.first().map(|c| c.cells.len()).unwrap_or(0) as u32;
    let v = DataValidation::new()
        .allow_list_strings(allowed)?
        .set_error_title(title)?
        .set_error_message(allowed.join(", "))?;
    book.worksheet_from_name(&sheet.name)?.add_data_validation(first, col, first + rows + 200, col, &v)?;
    Ok(())
}

fn walk(node: &Node, path: &mut Vec<String>, params: &mut Vec<ParamRow>, settings: &mut Vec<SettingRow>) {
    match &node.value {
        Value::Table(t) if path.len() >= 2 && t.keys().any(|k| FAMILIES.contains(&k)) => {
            let mut row = param_row(path, t);
            if row.source.is_none() && row.assumption.is_none() && node.origin.is_override() {
                // a workbook has no command line: say where the value came from
                row.assumption = Some(format!("set on the command line: {}", node.origin));
            }
            params.push(row);
        }
        // `--set params.start.delay_months=12`: a fixed value from the command line
        Value::Integer(_) | Value::Float(_) | Value::Boolean(_) if node.origin.is_override() && is_param(path) => {
            let x = match node.value {
                Value::Boolean(b) => Value::Float(if b { 1.0 } else { 0.0 }),
                ref v => v.clone(),
            };
            let mut fixed = Table::default();
            fixed.insert("fixed", Node { value: x, origin: node.origin.clone() });
            let mut row = param_row(path, &fixed);
            row.assumption = Some(format!("set on the command line: {}", node.origin));
            params.push(row);
        }
        Value::Table(t) => {
            for (key, child) in t.iter() {
                path.push(key.to_string());
                walk(child, path, params, settings);
                path.pop();
            }
        }
        value => settings.push(setting_row(path.join("."), value)),
    }
}

/// A parameter's place: `<scope>.<section>.<name>` with a known `<section>.<name>`.
fn is_param(path: &[String]) -> bool {
    path.len() >= 2 && {
        let p = path[path.len() - 2..].join(".");
        crate::scenario::PARAMS.iter().any(|d| d.path == p)
    }
}

fn param_row(path: &[String], t: &Table) -> ParamRow {
    let split = path.len() - 2;
    let (family, spec) = t.iter().find(|(k, _)| FAMILIES.contains(k)).expect("checked by walk");
    let mut fields = Vec::new();
    match &spec.value {
        Value::Table(f) => {
            for (key, n) in f.iter() {
                if let Some(field) = layout::FIELDS.iter().find(|c| c.key == key) {
                    fields.push((field.key, field_cell(field, &n.value)));
                }
            }
        }
        scalar => {
            let key = match family {
                "bernoulli" => "p",
                "poisson" => "lambda",
                _ => "value",
            };
            let field = layout::FIELDS.iter().find(|c| c.key == key).expect("a field");
            fields.push((field.key, field_cell(field, scalar)));
        }
    }
    let text = |k: &str| match t.get(k).map(|n| &n.value) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    ParamRow {
        parameter: path[split..].join("."),
        scope: path[..split].join("."),
        family: family.to_string(),
        fields,
        kind: text("kind"),
        source: text("source"),
        assumption: text("assumption"),
    }
}

fn field_cell(field: &Col, value: &Value) -> Cell {
    match value {
        Value::Integer(i) => Cell::Plain(*i as f64),
        Value::Float(x) => Cell::Plain(*x),
        Value::Array(items) if LIST_FIELDS.contains(&field.key) => {
            Cell::text(items.iter().map(|n| n.value.brief()).collect::<Vec<_>>().join(", "))
        }
        other => Cell::text(other.brief()),
    }
}

/// Whether a setting takes any number even where the scenario happens to write a whole one: a
/// lever's strength (`levers.special_fund.value = 0` is typed `number`, so that 0.3 can be
/// entered without changing the type cell).
fn takes_decimals(key: &str) -> bool {
    key.starts_with("levers.") && key.ends_with(".value")
}

fn setting_row(key: String, value: &Value) -> SettingRow {
    let (kind, value) = match value {
        Value::String(s) => ("text", Cell::text(s.clone())),
        Value::Datetime(d) => ("text", Cell::text(d.clone())),
        Value::Integer(i) if takes_decimals(&key) => ("number", Cell::Plain(*i as f64)),
        Value::Integer(i) => ("integer", Cell::Plain(*i as f64)),
        Value::Float(x) => ("number", Cell::Plain(*x)),
        Value::Boolean(b) => ("boolean", Cell::Bool(*b)),
        Value::Array(_) | Value::Table(_) => ("list", Cell::text(toml_literal(value).to_string())),
    };
    SettingRow { key, kind, value }
}

/// A value as TOML writes it inline.
fn toml_literal(value: &Value) -> toml_edit::Value {
    match value {
        Value::String(s) => s.as_str().into(),
        Value::Datetime(d) => d.as_str().into(),
        Value::Integer(i) => (*i).into(),
        Value::Float(x) => (*x).into(),
        Value::Boolean(b) => (*b).into(),
        Value::Array(items) => {
            let mut a = toml_edit::Array::new();
            for n in items {
                a.push(toml_literal(&n.value));
            }
            toml_edit::Value::Array(a)
        }
        Value::Table(t) => {
            let mut out = toml_edit::InlineTable::new();
            for (k, n) in t.iter() {
                out.insert(k, toml_literal(&n.value));
            }
            toml_edit::Value::InlineTable(out)
        }
    }
}

fn column(c: &Col, cells: Vec<Cell>) -> Column {
    Column::new(c.zh, c.key, cells)
}

fn params_sheet(rows: &[ParamRow]) -> Sheet {
    let mut columns = Vec::new();
    let opt = |t: &Option<String>| Cell::opt_text(t.as_deref());
    for c in layout::param_columns() {
        let cells = rows
            .iter()
            .map(|r| match c.key {
                "parameter" => Cell::text(&r.parameter),
                "scope" => Cell::text(&r.scope),
                "distribution" => Cell::text(&r.family),
                "kind" => opt(&r.kind),
                "source" => opt(&r.source),
                "assumption" => opt(&r.assumption),
                "note" => Cell::Empty,
                field => r.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| v.clone()).unwrap_or(Cell::Empty),
            })
            .collect();
        columns.push(column(&c, cells));
    }
    Sheet { name: PARAMS_SHEET.into(), note: None, columns, key_columns: 3 }
}

fn settings_sheet(rows: &[SettingRow]) -> Sheet {
    let columns = layout::SETTING_COLUMNS
        .iter()
        .map(|c| {
            let cells = rows
                .iter()
                .map(|r| match c.key {
                    "key" => Cell::text(&r.key),
                    "type" => Cell::text(r.kind),
                    "value" => r.value.clone(),
                    _ => Cell::Empty,
                })
                .collect();
            column(c, cells)
        })
        .collect();
    Sheet { name: SETTINGS_SHEET.into(), note: None, columns, key_columns: 1 }
}

/// The 说明 sheet: how to edit the workbook, in Chinese and English.
const README: &[(&str, &str)] = &[
    (
        "本工作簿是一个 parkcast 情景：改好后运行 parkcast run 文件名.xlsx，结果与同名 TOML 情景逐位一致。",
        "This workbook is a parkcast scenario: edit it, then run parkcast run FILE.xlsx; unedited, it gives exactly the results of the scenario it was made from.",
    ),
    (
        "“参数”表每行一个分布：参数名、适用范围、分布类型及其数值，并注明数据来源或假设依据（二者必填其一）。",
        "Sheet 参数: one distribution per row — parameter, scope, distribution and its numbers, and its source or assumption (one of the two is required).",
    ),
    (
        "适用范围：params 为全部区块；groups.类别.取值 为一类区块（如 groups.land_type.R2）；blocks.编号 为单个区块；全市参数（base.、shocks.）留空。",
        "Scope: params for every block; groups.<axis>.<value> for a group (e.g. groups.land_type.R2); blocks.<id> for one block; empty for city-wide parameters (base., shocks.).",
    ),
    (
        "分布的数值各占一列：triangular 与 pert 填最小值、最可能值、最大值；uniform 填最小值、最大值；fixed 填固定值；bernoulli 填概率；poisson 填均值λ；lognormal 填中位数与90%分位数；beta 填 α、β；normal 填均值、标准差；discrete 填取值列表（如 1, 2, 3），可另填权重列表。",
        "Each number of a distribution has its column: triangular and pert take min, mode, max; uniform min, max; fixed value; bernoulli p; poisson lambda; lognormal median and p90; beta alpha, beta; normal mean, sd; discrete a list of values (1, 2, 3) and optionally weights.",
    ),
    (
        "比例一律写小数（8% 写 0.08）；设为百分比格式的单元格本身存的就是小数，可以直接用。",
        "Shares are fractions (8% is 0.08); a cell formatted as a percentage already holds the fraction and is fine.",
    ),
    (
        "“设置”表为其余各项：试验次数、随机种子、政策举措开关、区块开工月份（blocks.编号.start.at）等；“类型”列说明取值的写法。情景名称即文件名：另存为新文件即得新情景，结果写入以新文件名命名的文件夹。",
        "Sheet 设置 holds everything else: trials, seed, levers, pinned block starts (blocks.<id>.start.at) …; its type column says how the value is written. The scenario's name is the file's name: a copy saved under another name (Save As) is another scenario, with outputs of its own.",
    ),
    (
        "月份写作文本“2026-06”：Excel 可能把它改成日期，请先将单元格设为文本格式（设置单元格格式 → 文本）。",
        "Months are text such as 2026-06: Excel may turn them into dates, so format those cells as text first.",
    ),
    (
        "“备注”列及自行添加的列不参与计算；出错时 parkcast 会指明工作表和单元格（如 参数!E14）。",
        "The note column and columns you add are not read; an error names the sheet and cell (e.g. 参数!E14).",
    ),
];

fn readme_sheet() -> Sheet {
    let zh = README.iter().map(|(z, _)| Cell::text(*z)).collect();
    let en = README.iter().map(|(_, e)| Cell::text(*e)).collect();
    Sheet {
        name: README_SHEET.into(),
        note: None,
        columns: vec![Column::new("说明", "notes", zh), Column::new("英文", "in English", en)],
        key_columns: 0,
    }
}

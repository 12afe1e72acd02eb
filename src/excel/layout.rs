//! The layout of a scenario workbook, shared by the template writer and the reader: the sheet
//! names and each sheet's columns (a Chinese and an English header; the English one is the key
//! the reader goes by, so columns may be moved or added).

/// The parameters sheet: one row per distribution set in the scenario.
pub const PARAMS_SHEET: &str = "参数";
/// The settings sheet: every other value (scenario name, run settings, levers, start.at …).
pub const SETTINGS_SHEET: &str = "设置";
/// The explanations sheet (written, never read).
pub const README_SHEET: &str = "说明";

/// A column: the key the reader goes by (also the English header) and the Chinese header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Col {
    pub key: &'static str,
    pub zh: &'static str,
}

const fn col(key: &'static str, zh: &'static str) -> Col {
    Col { key, zh }
}

/// The numbers a distribution may take, each in a column of its own (`values` and `weights`
/// are lists, written `1, 2, 3`).
pub const FIELDS: [Col; 17] = [
    col("min", "最小值"),
    col("mode", "最可能值"),
    col("max", "最大值"),
    col("value", "固定值"),
    col("p", "概率"),
    col("lambda", "均值λ"),
    col("median", "中位数"),
    col("p90", "90%分位数"),
    col("alpha", "α"),
    col("beta", "β"),
    col("mean", "均值"),
    col("sd", "标准差"),
    col("shape", "形状"),
    col("mu", "μ"),
    col("sigma", "σ"),
    col("values", "取值列表"),
    col("weights", "权重列表"),
];

/// The list fields among [`FIELDS`].
pub const LIST_FIELDS: [&str; 2] = ["values", "weights"];

/// The columns of the parameters sheet before the distribution's numbers.
pub const PARAM_HEAD: [Col; 3] = [col("parameter", "参数"), col("scope", "适用范围"), col("distribution", "分布")];
/// The columns of the parameters sheet after the distribution's numbers.
pub const PARAM_TAIL: [Col; 4] =
    [col("kind", "不确定性类型"), col("source", "数据来源"), col("assumption", "假设依据"), col("note", "备注")];

/// Every column of the parameters sheet, in the order the template writes them.
pub fn param_columns() -> Vec<Col> {
    PARAM_HEAD.iter().chain(FIELDS.iter()).chain(PARAM_TAIL.iter()).copied().collect()
}

/// The columns of the settings sheet.
pub const SETTING_COLUMNS: [Col; 4] =
    [col("key", "设置项"), col("type", "类型"), col("value", "取值"), col("note", "备注")];

/// The types a setting's value may have, as the settings sheet's `type` column names them.
pub const SETTING_TYPES: [&str; 5] = ["text", "integer", "number", "boolean", "list"];

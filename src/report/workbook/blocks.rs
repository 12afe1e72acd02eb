//! The sheets of the blocks: 地块 (block_summary.csv) and 区县×批次, the blocks' mean
//! contributions at the deadline summed by district and batch (第一批, 第二批 …).

use super::sheet::{Cell, Column, Sheet};
use crate::report::view::RunView;
use crate::scenario::Scenario;
use crate::seeds::TargetId;
use crate::summary::BlockRow;

/// 地块: one row per annex block.
pub fn blocks(scenario: &Scenario, view: &RunView) -> Sheet {
    let rows = &view.summary.blocks;
    let block = |id: u32| scenario.blocks.iter().find(|b| b.id == id);
    let month = |zh: &str, en: &str, f: fn(&BlockRow) -> Option<crate::month::Month>| {
        Column::new(zh, en, rows.iter().map(|b| Cell::opt_text(f(b).map(|m| m.to_string()).as_deref())).collect())
    };
    let share = |zh: &str, en: &str, f: fn(&BlockRow) -> f64| {
        Column::new(zh, en, rows.iter().map(|b| Cell::Percent(f(b))).collect())
    };
    let mut columns = vec![
        Column::new("编号", "id", rows.iter().map(|b| Cell::Number(b.id.into())).collect()),
        Column::new(
            "地块名称",
            "name_zh",
            rows.iter().map(|b| Cell::opt_text(block(b.id).map(|x| x.name_zh.as_str()))).collect(),
        ),
        Column::new(
            "Block",
            "name_en",
            rows.iter().map(|b| Cell::opt_text(block(b.id).map(|x| x.name_en.as_str()))).collect(),
        ),
        Column::new("计入目标", "counted", rows.iter().map(|b| Cell::Bool(b.counted)).collect()),
        share("2025年底前开工概率", "p_started_by_2025_12", |b| b.p_started_2025),
        month("开工 P10", "start_p10", |b| b.start_p10),
        month("开工 中位数", "start_p50", |b| b.median_start),
        month("开工 P90", "start_p90", |b| b.start_p90),
        month("投运 P10", "delivery_p10", |b| b.delivery_p10),
        month("投运 中位数", "delivery_p50", |b| b.median_delivery),
        month("投运 P90", "delivery_p90", |b| b.delivery_p90),
        share("截止时投运概率", "p_delivered_by_deadline", |b| b.p_delivered_deadline),
        share("模拟期末投运概率", "p_delivered_by_horizon", |b| b.p_delivered_horizon),
        share("被替换概率", "p_replaced", |b| b.p_replaced),
    ];
    for (m, id) in TargetId::ALL.iter().enumerate() {
        let en = format!("mean_{}", if *id == TargetId::Revenue { "revenue_cny" } else { id.key() });
        columns.push(Column::new(
            &format!("{}（均值）", id.label_zh()),
            &en,
            rows.iter().map(|b| Cell::metric(*id, b.mean_contribution[m])).collect(),
        ));
    }
    Sheet { name: "地块 blocks".into(), note: None, columns, key_columns: 2 }
}

/// 区县×批次: per district and batch with counted blocks, how many there are and the sum of
/// their mean contributions at the deadline, by metric.
pub fn districts_by_batch(scenario: &Scenario, view: &RunView) -> Sheet {
    let mut groups: Vec<(crate::seeds::kinds::District, u8, Vec<&BlockRow>)> = Vec::new();
    for r in view.summary.blocks.iter().filter(|r| r.counted) {
        let Some(b) = scenario.blocks.iter().find(|b| b.id == r.id) else { continue };
        match groups.iter_mut().find(|(d, batch, _)| *d == b.district && *batch == b.batch) {
            Some(g) => g.2.push(r),
            None => groups.push((b.district, b.batch, vec![r])),
        }
    }
    groups.sort_by_key(|(d, batch, _)| (crate::seeds::kinds::District::ALL.iter().position(|x| x == d), *batch));
    let mut columns = vec![
        Column::new("区县", "district", groups.iter().map(|(d, _, _)| Cell::text(d.label_zh())).collect()),
        Column::new("District", "district_en", groups.iter().map(|(d, _, _)| Cell::text(d.label_en())).collect()),
        Column::new("批次", "batch", groups.iter().map(|(_, b, _)| Cell::Number((*b).into())).collect()),
        Column::new("计入地块数", "blocks", groups.iter().map(|(_, _, r)| Cell::Number(r.len() as f64)).collect()),
    ];
    for (m, id) in TargetId::ALL.iter().enumerate() {
        columns.push(Column::new(
            &format!("{}（均值）", id.label_zh()),
            &format!("mean_{}", id.key()),
            groups.iter().map(|(_, _, r)| Cell::metric(*id, r.iter().map(|b| b.mean_contribution[m]).sum())).collect(),
        ));
    }
    Sheet {
        name: "区县×批次 districts".into(),
        note: Some("计入目标的地块在截止时的平均贡献，按区县和批次合计 · mean contribution at the deadline of the counted blocks, by district and batch".into()),
        columns,
        key_columns: 3,
    }
}

//! 关键性: per block and target, the change in P(met) if the block starts on schedule for
//! certain and if it is dropped (criticality.csv's rows).

use super::sheet::{Cell, Column, Sheet};
use crate::model::METRIC_COUNT;
use crate::seeds::TargetId;
use crate::sensitivity::criticality::{Criticality, PairedChange, SLOTS};

pub fn sheet(c: &Criticality) -> Sheet {
    let slots: Vec<usize> = (0..SLOTS).filter(|&s| c.baseline[s].is_some()).collect();
    let rows: Vec<(&crate::sensitivity::criticality::BlockCriticality, usize)> =
        c.blocks.iter().flat_map(|b| slots.iter().map(move |&s| (b, s))).collect();
    let key = |s: usize| if s < METRIC_COUNT { TargetId::ALL[s].key() } else { "all" };
    let change = |zh: &str,
                  en: &str,
                  pick: fn(
        &crate::sensitivity::criticality::BlockCriticality,
    ) -> Option<[Option<PairedChange>; SLOTS]>,
                  f: fn(&PairedChange) -> f64| {
        Column::new(
            zh,
            en,
            rows.iter().map(|(b, s)| Cell::opt(pick(b).and_then(|v| v[*s]).map(|x| f(&x)), Cell::Percent)).collect(),
        )
    };
    let columns = vec![
        Column::new("地块", "block", rows.iter().map(|(b, _)| Cell::Number(b.id.into())).collect()),
        Column::new("目标", "target", rows.iter().map(|(_, s)| Cell::text(key(*s))).collect()),
        Column::new(
            "基准达标概率",
            "p_met_baseline",
            rows.iter().map(|(_, s)| Cell::opt(c.baseline[*s], Cell::Percent)).collect(),
        ),
        change("按期开工：变化", "on_schedule_change", |b| b.on_schedule, |x| x.mean),
        change("按期开工：下限", "on_schedule_low", |b| b.on_schedule, |x| x.low),
        change("按期开工：上限", "on_schedule_high", |b| b.on_schedule, |x| x.high),
        change("移出：变化", "dropped_change", |b| b.dropped, |x| x.mean),
        change("移出：下限", "dropped_low", |b| b.dropped, |x| x.low),
        change("移出：上限", "dropped_high", |b| b.dropped, |x| x.high),
        Column::new(
            "未达标时在建的占比",
            "under_construction_share_of_misses",
            rows.iter().map(|(b, s)| Cell::opt(b.under_construction_in_misses[*s], Cell::Percent)).collect(),
        ),
        Column::new("配对模拟次数", "trials", rows.iter().map(|_| Cell::Number(c.trials as f64)).collect()),
    ];
    Sheet {
        name: "关键性 criticality".into(),
        note: Some(format!(
            "达标概率的变化（百分点），{} 次配对模拟 · change in P(met), {} paired trials",
            c.trials, c.trials
        )),
        columns,
        key_columns: 2,
    }
}

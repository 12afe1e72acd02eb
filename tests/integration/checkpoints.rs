//! The yearly checkpoint table (issue 15 part 3): P(on track) at the end of 2025, 2026 and 2027
//! per target against the linear path from the base to the target, in the report data and in
//! both languages of report.html; at the deadline it is the target's P(met).

use crate::meeting_report::{baseline, between, cells};
use parkcast::report::charts::Lang;

#[test]
fn checkpoints_run_to_the_deadline_on_a_linear_path_and_the_report_shows_them() {
    let (html, data) = baseline();
    let s = &data.summary;
    assert_eq!(s.checkpoints.len(), 3 * s.targets.len());
    for t in &s.targets {
        let rows: Vec<_> = s.checkpoints.iter().filter(|r| r.target == t.id).collect();
        let months: Vec<String> = rows.iter().map(|r| r.month.to_string()).collect();
        assert_eq!(months, ["2025-12", "2026-12", "2027-12"], "{:?}", t.id);
        // the path rises from the base to the target value, which the deadline row uses
        let last = rows[2];
        assert!(last.exact && last.path_value == t.threshold && last.p_on_track == t.p_met, "{last:?}");
        assert_eq!(last.ci, t.ci);
        for r in &rows {
            assert_eq!(r.path, "linear");
            assert!(r.base <= r.path_value && r.path_value <= t.threshold, "{r:?}");
            assert!((0.0..=1.0).contains(&r.p_on_track) && r.ci.low <= r.p_on_track && r.p_on_track <= r.ci.high);
        }
        assert!(!rows[0].exact && !rows[1].exact);
        assert!(rows[0].path_value < rows[1].path_value && rows[1].path_value < rows[2].path_value, "{rows:?}");
        // 13 and 25 of the path's 37 months from 2024-11
        let step = (t.threshold - rows[0].base) / 37.0;
        for (r, months) in [(rows[0], 13.0), (rows[1], 25.0)] {
            let want = rows[0].base + step * months;
            let whole = !matches!(t.id, parkcast::seeds::TargetId::Revenue | parkcast::seeds::TargetId::Jobs);
            let want = if whole { want.ceil() } else { want };
            assert!((r.path_value - want).abs() <= 1e-9 * want.abs().max(1.0), "{r:?}: want {want}");
        }
    }
    for l in [Lang::Zh, Lang::En] {
        let table = between(html, &format!("<table id=\"{}-checkpoints\">", l.code()), "</table>");
        let heads = [l.t("2025年底", "end of 2025"), l.t("2026年底", "end of 2026"), l.t("2027年底", "end of 2027")];
        for h in heads {
            assert!(table.contains(h), "{h} in {table}");
        }
        for t in &s.targets {
            let c = cells(table, t.id.key());
            assert_eq!(c.len(), 2 + 2 * 3, "{c:?}");
            assert_eq!(c[0], l.metric(t.id));
            let rows: Vec<_> = s.checkpoints.iter().filter(|r| r.target == t.id).collect();
            assert_eq!(c[1], l.value(t.id, rows[0].base));
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(c[2 + 2 * i], format!("≥ {}", l.value(t.id, r.path_value)));
                assert_eq!(c[3 + 2 * i], l.percent(r.p_on_track));
            }
        }
    }
    let zh = between(html, "<table id=\"zh-checkpoints\">", "</p>");
    assert!(zh.contains("按线性推进计"), "the path is named: {zh}");
    // a checkpoint the calendar has passed is called a simulation, not what happened
    let run = &data.meta.date[..7];
    let passed: Vec<&str> = ["2025-12", "2026-12"].into_iter().filter(|m| *m < run).collect();
    match passed.last() {
        Some(last) => {
            let note = format!(
                "{}年底及以前的节点已过，但本表仍是依据截至2024年11月的资料所作的模拟，并非实际统计",
                &last[..4]
            );
            assert!(html.contains(&note), "no passed-checkpoint note for a run on {run}");
        }
        None => assert!(!html.contains("的节点已过"), "a run on {run} has passed no checkpoint"),
    }
}

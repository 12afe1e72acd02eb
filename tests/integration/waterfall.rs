//! Contributions as a waterfall (issue 15 part 3): base → each batch's blocks by district → the
//! mean at the deadline, per target, in both languages; firm counts whole in words.

use crate::meeting_report::{baseline, between};
use parkcast::report::charts::waterfall::{steps, StepKind};
use parkcast::report::charts::Lang;

#[test]
fn the_waterfall_adds_the_blocks_to_the_base_up_to_the_mean() {
    let (html, data) = baseline();
    for t in &data.summary.targets {
        let m = parkcast::seeds::TargetId::ALL.iter().position(|x| *x == t.id).unwrap();
        for l in [Lang::Zh, Lang::En] {
            let s = steps(data, t.id, l).unwrap();
            assert_eq!(s[0].kind, StepKind::Base);
            assert_eq!(s[0].value, t.base_mean);
            let last = s.last().unwrap();
            assert_eq!((last.kind, last.value), (StepKind::Total, t.mean));
            // each step starts where the one before ended, and they end on the mean
            let mut level = t.base_mean;
            for step in &s[1..s.len() - 1] {
                assert_eq!(step.kind, StepKind::Blocks);
                assert!((step.from - level).abs() <= 1e-9 * level.abs().max(1.0), "{step:?}");
                level += step.value;
            }
            assert!((level - t.mean).abs() <= 1e-6 * t.mean.abs().max(1.0), "{:?}: {level} vs {}", t.id, t.mean);
            // the groups hold every counted block's mean contribution, batch by batch
            let blocks: f64 = data.summary.blocks.iter().filter(|b| b.counted).map(|b| b.mean_contribution[m]).sum();
            let groups: f64 = s
                .iter()
                .filter(|x| x.kind == StepKind::Blocks && !x.label.contains("调入") && !x.label.contains("reserve"))
                .map(|x| x.value)
                .sum();
            assert!((groups - blocks).abs() <= 1e-6 * blocks.abs().max(1.0), "{groups} vs {blocks}");
            let first_batch2 = s.iter().position(|x| x.label.contains("第二批") || x.label.contains("batch 2"));
            let last_batch1 = s.iter().rposition(|x| x.label.contains("第一批") || x.label.contains("batch 1"));
            assert!(last_batch1 < first_batch2, "batch 1 before batch 2: {s:?}");
        }
        for l in [Lang::Zh, Lang::En] {
            let fig = between(html, &format!("<figure id=\"{}-waterfall_{}\">", l.code(), t.id.key()), "</figure>");
            assert!(fig.contains(&l.value(t.id, t.threshold)), "the target line is labelled");
        }
    }
    // no firm count with decimals in any chart's words
    let re = regex_lite(html);
    assert!(re.is_empty(), "fractional firm counts in the report's charts: {re:?}");
}

/// Every "<digits>.<digits>家" inside the report's figures.
fn regex_lite(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for fig in html.split("<figure").skip(1) {
        let fig = &fig[..fig.find("</figure>").unwrap_or(fig.len())];
        let chars: Vec<char> = fig.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if *c == '家' {
                let before: String = chars[i.saturating_sub(8)..i].iter().collect();
                let number: String = before.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                if number.contains('.') {
                    found.push(before + "家");
                }
            }
        }
    }
    found
}

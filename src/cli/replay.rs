//! `parkcast replay`: one trial month by month.

use super::args::ReplayArgs;
use super::whatif::write_outputs;
use crate::engine::{replay, Replay};
use crate::model::{Plan, METRIC_COUNT};
use crate::report::export::csv_analysis;
use crate::report::format::{metric_en, thousands};
use crate::report::table::{Align, TextTable};
use crate::seeds::{Seeds, TargetId};
use crate::Error;

/// A model time (months since the start of 2024-11) as its month, or "–" if never.
pub(crate) fn month_of(plan: &Plan, x: f64) -> String {
    if x.is_finite() {
        plan.month_label(0).plus(x.floor() as i32).to_string()
    } else {
        "–".into()
    }
}

fn blocks_table(scenario: &crate::scenario::Scenario, plan: &Plan, r: &Replay) -> String {
    let mut t = TextTable::new(&[
        ("id", Align::Right),
        ("block", Align::Left),
        ("start status", Align::Left),
        ("started", Align::Left),
        ("operating", Align::Left),
        ("floor m²", Align::Right),
        ("专精特新", Align::Right),
        ("tech SMEs", Align::Right),
        ("revenue", Align::Right),
        ("new jobs", Align::Right),
    ]);
    let d = plan.deadline;
    for (i, (b, br)) in scenario.blocks.iter().zip(&r.blocks).enumerate() {
        let ops: Vec<String> = br.phases.iter().map(|(op, _)| month_of(plan, *op)).collect();
        let mut name = b.name_zh.clone();
        if br.replaced {
            name.push_str(" → reserve");
        }
        if !plan.blocks[i].counted {
            name.push_str(" (not counted)");
        }
        t.row(vec![
            b.id.to_string(),
            name,
            b.start_zh.clone(),
            month_of(plan, br.start),
            ops.join(" + "),
            thousands(br.area_m2),
            thousands(br.paths[1][d]),
            thousands(br.paths[2][d]),
            crate::report::format::signed_cny_bn(br.paths[3][d]),
            thousands(br.paths[4][d]),
        ]);
    }
    t.render()
}

fn months_table(plan: &Plan, r: &Replay, every: usize) -> String {
    let mut t = TextTable::new(&[
        ("month", Align::Left),
        ("parks", Align::Right),
        ("专精特新", Align::Right),
        ("tech SMEs", Align::Right),
        ("revenue (12 months)", Align::Right),
        ("new jobs", Align::Right),
    ]);
    let p = &r.outcome.paths;
    for tm in (0..plan.months).filter(|tm| tm % every == every - 1 || *tm == plan.deadline || *tm + 1 == plan.months) {
        let mut cells = vec![plan.month_label(tm).to_string()];
        cells.extend((0..METRIC_COUNT).map(|m| metric_en(TargetId::ALL[m], p[m][tm])));
        t.row(cells);
    }
    t.render()
}

pub fn replay_command(seeds: &Seeds, args: &ReplayArgs) -> Result<(), Error> {
    let most = crate::scenario::MAX_TRIALS;
    if args.trial >= most {
        return Err(Error::Usage(format!(
            "--trial {}: no run has that trial; runs have at most {} trials, so K is 0 to {}",
            args.trial,
            crate::engine::budget::group(most),
            crate::engine::budget::group(most - 1)
        )));
    }
    let scenario = super::load_scenario(seeds, &args.scenario, &args.overrides, args.seed, &[])?;
    if args.every == 0 {
        return Err(Error::Usage("--every 0: give a step of at least 1 month".into()));
    }
    let plan = Plan::new(&scenario);
    let seed = scenario.settings.seed;
    let default_out = format!(
        "outputs/{}-trial-{}",
        super::out_name::with_overrides(&scenario.dir_name(), &args.overrides),
        args.trial
    );
    let out = super::whatif::check_out(&args.out, &default_out, "replay")?;
    let r = replay(&plan, seed, args.trial);
    outln!(
        "Trial {} of scenario {} (seed {}, {}); targets {} judged at {}",
        args.trial,
        scenario.name,
        seed,
        scenario.hash,
        scenario.target_set.id,
        scenario.target_set.deadline
    );
    outln!(
        "This is the trial's row {} in trials.parquet of any run of this scenario and seed with more than {} trials.",
        args.trial,
        args.trial
    );
    outln!();
    out!("{}", blocks_table(&scenario, &plan, &r));
    outln!(
        "(the block columns are each block's part at {}; revenue is its trailing 12 months)",
        plan.month_label(plan.deadline)
    );
    outln!();
    out!("{}", months_table(&plan, &r, args.every));
    outln!();
    let mut t = TextTable::new(&[
        ("target", Align::Left),
        ("value", Align::Right),
        ("threshold", Align::Right),
        ("", Align::Left),
    ]);
    for (m, id) in TargetId::ALL.iter().enumerate() {
        if let Some(thr) = plan.thresholds[m] {
            let v = r.outcome.at_deadline[m];
            t.row(vec![
                format!("{} ({})", id.key(), id.label_zh()),
                metric_en(*id, v),
                metric_en(*id, thr),
                if v >= thr { "met" } else { "missed" }.into(),
            ]);
        }
    }
    out!("{}", t.render());
    write_outputs(&out, |dir| {
        csv_analysis::write_replay(&dir.join("replay_months.csv"), &scenario, &plan, &r)?;
        csv_analysis::write_replay_blocks(&dir.join("replay_blocks.csv"), &scenario, &plan, &r)
    })?;
    // one trial: each target met (1) or missed (0)
    let met: Vec<(Option<TargetId>, f64)> = TargetId::ALL
        .iter()
        .enumerate()
        .filter_map(|(m, id)| {
            plan.thresholds[m].map(|thr| (Some(*id), f64::from(u8::from(r.outcome.at_deadline[m] >= thr))))
        })
        .collect();
    let all = f64::from(u8::from(met.iter().all(|(_, p)| *p == 1.0)));
    let p_met = super::runs::p_met_of(met.into_iter().chain([(None, all)]));
    let kind = format!("replay --trial {}", args.trial);
    super::runs::register_analysis(&kind, &scenario, &args.overrides, 1, p_met, vec![], &out.shown);
    Ok(())
}

//! `parkcast tornado` and `parkcast sobol`.

use super::args::{GroupingArg, SobolArgs, TornadoArgs};
use super::design_shard::{DesignShape, DesignShard};
use super::progress::Bar;
use super::whatif::{chart_dir, check_out, common, parse_target, source, target_name, write_outputs};
use crate::engine::codec::Writer;
use crate::engine::cost::{self, Cost};
use crate::engine::design_codec;
use crate::engine::{budget, RunOptions};
use crate::model::Plan;
use crate::report::charts::labels::factor_label;
use crate::report::charts::{render, Lang, SobolBar, SobolChart, TornadoBar, TornadoChart};
use crate::report::export::partial::Part;
use crate::report::export::{csv_analysis, ExportError};
use crate::report::format::{metric_en, percent};
use crate::report::html::tornado::{TornadoReport, TornadoTop};
use crate::report::table::{Align, TextTable};
use crate::report::view::scenario_label;
use crate::seeds::{Seeds, TargetId};
use crate::sensitivity::sobol_model::{Grouping, ModelSobolError, SobolModel, SobolOutput, BLOCK_BASE_POINTS};
use crate::sensitivity::tornado::{self, Tornado};
use crate::whatif::TargetChoice;
use crate::Error;

fn metric_text(m: usize, x: f64) -> String {
    metric_en(TargetId::ALL[m], x)
}

/// The terminal table of one target's tornado.
fn table(t: &Tornado, target: Option<usize>, top: usize) -> String {
    let mut headers = vec![
        ("rank", Align::Right),
        ("factor", Align::Left),
        ("low setting", Align::Left),
        ("high setting", Align::Left),
        ("P(met) low", Align::Right),
        ("P(met) high", Align::Right),
        ("swing", Align::Right),
    ];
    if target.is_some() {
        headers.extend([("median low", Align::Right), ("median high", Align::Right)]);
    }
    let mut tt = TextTable::new(&headers);
    for (i, r) in t.ranked(target).into_iter().take(top).enumerate() {
        let mut cells = vec![
            (i + 1).to_string(),
            r.factor.key(),
            r.low_text.clone(),
            r.high_text.clone(),
            percent(r.low.p(target)),
            percent(r.high.p(target)),
            format!("{:.1} pts", r.swing(target) * 100.0),
        ];
        if let Some(m) = target {
            cells.extend([metric_text(m, r.low.median[m]), metric_text(m, r.high.median[m])]);
        }
        tt.row(cells);
    }
    tt.render()
}

fn charts(
    t: &Tornado,
    scenario: &str,
    target: Option<usize>,
    threshold: Option<f64>,
    top: usize,
    lang: Lang,
) -> Vec<TornadoChart> {
    let ranked = t.ranked(target);
    let what = match target {
        // mid-sentence in a title: "median revenue", not "median Revenue"
        Some(m) => lang.t(TargetId::ALL[m].label_zh(), TargetId::ALL[m].label_en()).to_string(),
        None => lang.t("全部目标", "all targets").to_string(),
    };
    let key = target.map(|m| TargetId::ALL[m].key()).unwrap_or("all");
    let bars: Vec<TornadoBar> = ranked
        .iter()
        .take(top)
        .map(|r| TornadoBar {
            label: factor_label(&r.factor.key(), lang),
            low: r.low.p(target) * 100.0,
            high: r.high.p(target) * 100.0,
            low_is_noise: false,
            high_is_noise: false,
        })
        .collect();
    let mut out = vec![TornadoChart {
        min_half_span: None,
        name: format!("tornado_{key}"),
        title: match lang {
            Lang::Zh => format!("龙卷风图: {what}达成概率 (各因素取偏低、偏高值; {scenario})"),
            Lang::En => {
                format!("Tornado: probability that {what} is met (each factor at p10 / p90; scenario {scenario})")
            }
        },
        x_desc: lang.t("达成概率 (%)", "probability (%)").to_string(),
        bars,
        baseline: t.baseline.p(target) * 100.0,
        percent: true,
        low_label: TornadoChart::factor_labels(lang).0,
        high_label: TornadoChart::factor_labels(lang).1,
        baseline_note: None,
        baseline_value: None,
        target: None,
        lang,
    }];
    if let Some(m) = target {
        let id = TargetId::ALL[m];
        let (unit, div) = lang.unit(id);
        let mut by_median: Vec<_> = t.rows.iter().collect();
        by_median
            .sort_by(|a, b| b.median_swing(m).total_cmp(&a.median_swing(m)).then(a.factor.key().cmp(&b.factor.key())));
        let bars: Vec<TornadoBar> = by_median
            .iter()
            .take(top)
            .map(|r| TornadoBar {
                label: factor_label(&r.factor.key(), lang),
                low: r.low.median[m] / div,
                high: r.high.median[m] / div,
                low_is_noise: false,
                high_is_noise: false,
            })
            .collect();
        out.push(TornadoChart {
            min_half_span: None,
            name: format!("tornado_median_{key}"),
            title: match lang {
                Lang::Zh => format!("龙卷风图: 截止时{what}的中间情形 (各因素取偏低、偏高值; {scenario})"),
                Lang::En => {
                    format!("Tornado: median {what} at the deadline (each factor at p10 / p90; scenario {scenario})")
                }
            },
            x_desc: format!("{} ({unit})", lang.metric(id)),
            bars,
            baseline: t.baseline.median[m] / div,
            percent: false,
            low_label: TornadoChart::factor_labels(lang).0,
            high_label: TornadoChart::factor_labels(lang).1,
            baseline_note: None,
            baseline_value: Some(lang.value(id, t.baseline.median[m])),
            target: threshold.map(|x| (x / div, lang.value(id, x))),
            lang,
        });
    }
    out
}

pub fn tornado(seeds: &Seeds, args: &TornadoArgs) -> Result<(), Error> {
    let src = source(&args.scenario);
    let scenario = crate::scenario::load(&src, &args.common.overrides, seeds)?;
    super::print_warnings(&scenario.warnings);
    let evaluations = 1 + 2 * tornado::factors(&scenario, &Plan::new(&scenario)).len() as u64;
    let c = common(&args.common, &src, seeds, Some(20_000), (evaluations, 1))?;
    let mut o = args.common.overrides.clone();
    o.push(format!("settings.trials={}", c.trials));
    o.push(format!("settings.seed={}", c.seed));
    let scenario = crate::scenario::load(&src, &o, seeds)?;
    let plan = Plan::new(&scenario);
    let present: Vec<usize> = (0..TargetId::ALL.len()).filter(|&m| plan.thresholds[m].is_some()).collect();
    let targets: Vec<Option<usize>> = match &args.target {
        None => present.iter().map(|&m| Some(m)).collect(),
        Some(t) => match parse_target(t)? {
            TargetChoice::All => vec![None],
            TargetChoice::One(id) => {
                let m = TargetId::ALL.iter().position(|x| *x == id).expect("listed");
                if plan.thresholds[m].is_none() {
                    return Err(Error::Usage(format!(
                        "--target {}: the target set {} has no such target",
                        id.key(),
                        scenario.target_set.id
                    )));
                }
                vec![Some(m)]
            }
        },
    };
    if args.top == 0 {
        return Err(Error::Usage("--top 0: show at least 1 factor".into()));
    }
    let out = check_out(&args.out, "outputs/tornado", "tornado")?;
    let n_factors = tornado::factors(&scenario, &plan).len();
    super::whatif::confirm_evaluations(evaluations, &c, &args.common)?;
    errln!(
        "tornado of {}: {} factors at p10 and p90 (levers at the ends of their range), {} evaluations of {} trials, seed {}",
        scenario.name,
        n_factors,
        1 + 2 * n_factors,
        c.trials,
        c.seed
    );
    super::catch_interrupts();
    let opts = RunOptions { trials: c.trials, seed: c.seed, threads: c.threads, precision: None };
    let bar = Bar::counting(1 + 2 * n_factors as u64, "evaluations");
    let result = tornado::tornado(&scenario, &plan, &opts, &super::INTERRUPTED, &|done, _| bar.set(done as u64));
    bar.finish();
    let t = result.map_err(super::run_failed)?;
    outln!(
        "Tornado of {} (common random numbers: {} trials per evaluation, seed {}); each factor set to its 10th and 90th percentile,",
        scenario.name, c.trials, c.seed
    );
    outln!("levers to the ends of their range, everything else as in the scenario. Top {} per target.", args.top);
    for &m in &targets {
        outln!();
        let what = target_name(m.map(|m| TargetId::ALL[m]));
        match m {
            Some(mi) => outln!(
                "{what}: baseline P(met) {}, median {}",
                percent(t.baseline.p(m)),
                metric_text(mi, t.baseline.median[mi])
            ),
            None => outln!("{what}: baseline P(met) {}", percent(t.baseline.p(m))),
        }
        out!("{}", table(&t, m, args.top));
    }
    write_outputs(&out, |dir| {
        csv_analysis::write_tornado(&dir.join("tornado.csv"), &t, &targets)?;
        let mut drawn = Vec::new();
        for lang in args.lang.langs() {
            let cd = chart_dir(dir, lang)?;
            let name = scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, lang);
            for &m in &targets {
                let threshold = m.and_then(|m| plan.thresholds[m]);
                for chart in charts(&t, &name, m, threshold, args.top, lang) {
                    drawn.push(render(&chart, lang, &cd).map_err(|e| ExportError::new(dir, e))?);
                }
            }
        }
        let top = TornadoTop::of(&t, &targets, args.top);
        let report = TornadoReport {
            top: &top,
            scenario: (
                scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, Lang::Zh),
                scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, Lang::En),
            ),
            target_set: (scenario.target_set.label_zh.clone(), scenario.target_set.label_en.clone()),
            date: crate::report::export::unique::now_utc(),
        };
        super::whatif::write_html(dir, &crate::report::html::tornado::render(&report, &drawn, &args.lang.langs()))
    })?;
    let p_met = super::runs::p_met_of(targets.iter().map(|&m| (m.map(|m| TargetId::ALL[m]), t.baseline.p(m))));
    super::runs::register_analysis("tornado", &scenario, &args.common.overrides, c.trials, p_met, vec![], &out.shown);
    Ok(())
}

/// The fewest bootstrap resamples and base points `sobol` accepts.
const MIN_BOOTSTRAP: usize = 100;
const MIN_SOBOL_N: usize = 64;
/// The most bootstrap resamples: far more than a stable 95 % percentile interval needs (a
/// few thousand), and each keeps two values per group until the end.
const MAX_BOOTSTRAP: usize = 100_000;

/// Refuses a Sobol analysis over `groups` groups that cannot fit in memory — `held` rows'
/// outputs and, when `bootstrap`, the bootstrap's replicates — or in time (`simulated` rows run
/// here), then prints its cost line and asks before a long one. A shard simulates and holds its
/// own rows and does not bootstrap; a merge simulates none and holds them all.
fn sobol_budget(
    args: &SobolArgs,
    groups: usize,
    (simulated, held): (usize, usize),
    bootstrap: bool,
    outputs: usize,
    threads: usize,
) -> Result<(), Error> {
    let (groups, outputs) = (groups as u64, outputs as u64);
    let resamples = if bootstrap { args.bootstrap as u64 } else { 0 };
    let flag = format!("--n {}", args.n);
    let mut cost = Cost::new(
        simulated as u64,
        format!("N = {} base points × ({groups} groups + 2)", budget::group(args.n as u64)),
        threads,
    );
    cost.rate = cost::SOBOL_ROWS_PER_SECOND_PER_THREAD;
    cost.extra_thread_seconds =
        resamples as f64 * held as f64 * outputs as f64 / cost::BOOTSTRAP_ROWS_PER_SECOND_PER_THREAD;
    cost.check_total().map_err(|e| Error::Usage(format!("{flag}: {e}; lower --n")))?;
    let mut need = budget::MemoryNeed::new(held as u64, 1, budget::sobol_bytes_per_row(outputs));
    if bootstrap {
        need = need.and(
            budget::sobol_bootstrap_bytes(resamples, groups),
            format!("{} bootstrap resamples of {groups} groups", budget::group(resamples)),
        );
    }
    need.check(budget::available_memory().as_ref()).map_err(|e| Error::Usage(format!("{flag}: {e}; lower --n")))?;
    super::confirm::confirm(&cost, &flag, args.yes)
}

pub fn sobol(seeds: &Seeds, args: &SobolArgs) -> Result<(), Error> {
    sobol_with(seeds, args, None)
}

/// `sobol`, or with `--shard` one shard of its design, or (`merged`: the checked parts of its
/// shards, from `parkcast merge`) its outputs from the rows the shards evaluated.
pub(super) fn sobol_with(seeds: &Seeds, args: &SobolArgs, merged: Option<&[Part]>) -> Result<(), Error> {
    let a = &args.settings;
    let scenario = super::load_scenario(seeds, &args.scenario, &a.overrides, a.seed, &[])?;
    let plan = Plan::new(&scenario);
    let outputs: Vec<SobolOutput> = if args.outputs.is_empty() {
        (0..TargetId::ALL.len()).filter(|&m| plan.thresholds[m].is_some()).map(SobolOutput::Metric).collect()
    } else {
        args.outputs
            .iter()
            .map(|o| {
                let out = SobolOutput::parse(o.trim()).ok_or_else(|| {
                    Error::Usage(format!(
                        "--outputs {o}: not an output (allowed: parks, specialized, tech_smes, revenue, jobs, each with or without _met, and all_met)"
                    ))
                })?;
                match out {
                    SobolOutput::Met(m) if plan.thresholds[m].is_none() => Err(Error::Usage(format!(
                        "--outputs {o}: the target set {} has no such target",
                        scenario.target_set.id
                    ))),
                    _ => Ok(out),
                }
            })
            .collect::<Result<_, _>>()?
    };
    if args.top == 0 {
        return Err(Error::Usage("--top 0: show at least 1 group".into()));
    }
    if args.bootstrap < MIN_BOOTSTRAP {
        return Err(Error::Usage(format!(
            "--bootstrap {}: at least {MIN_BOOTSTRAP} resamples are needed for a 95% interval",
            args.bootstrap
        )));
    }
    if args.bootstrap > MAX_BOOTSTRAP {
        return Err(Error::Usage(format!(
            "--bootstrap {}: at most {} resamples (a few thousand make a stable 95% interval)",
            args.bootstrap,
            budget::group(MAX_BOOTSTRAP as u64)
        )));
    }
    if args.n < MIN_SOBOL_N {
        return Err(Error::Usage(format!(
            "--n {}: at least {MIN_SOBOL_N} base points (a power of two); fewer leave indices dominated by Monte Carlo noise",
            args.n
        )));
    }
    let sharded = args.shard.as_deref().filter(|_| merged.is_none());
    let out = match sharded {
        Some(_) => None,
        None => Some(check_out(&args.out, "outputs/sobol", "sobol")?),
    };
    let threads = super::run::threads(args.settings.threads)?;
    let grouping = match args.groups {
        GroupingArg::Param => Grouping::Param,
        GroupingArg::Block => Grouping::Block,
        GroupingArg::None => Grouping::None,
    };
    let design_error = |d| Error::Usage(format!("--n {} / --groups: {d}", args.n));
    let model = SobolModel::new(&scenario, &plan, args.n, grouping).map_err(design_error)?;
    let (groups, rows) = (model.groups(), model.rows());
    let seed = scenario.settings.seed;
    let shape = DesignShape {
        kind: "sobol",
        scenario: &scenario,
        seed,
        trials: rows as u64,
        chunk_trials: model.block_rows() as u64,
        chunks: model.blocks() as u64,
        chunks_text: format!(
            "N = {} makes {} block{} of {BLOCK_BASE_POINTS} base points ({} trials each)",
            args.n,
            model.blocks(),
            if model.blocks() == 1 { "" } else { "s" },
            budget::group(model.block_rows() as u64)
        ),
        args: super::design_shard::sobol_args(args),
    };
    super::catch_interrupts();
    let block_rows = |blocks: &[u64]| -> Vec<usize> {
        let b = model.block_rows();
        blocks.iter().flat_map(|&k| k as usize * b..(k as usize + 1) * b).collect()
    };
    let evaluate = |rows: &[usize]| {
        let bar = Bar::counting(0, "trials");
        let ys = model.evaluate(&plan, seed, &outputs, rows, threads, &super::INTERRUPTED, &|done, total| {
            bar.set_total(total as u64);
            bar.set(done as u64)
        });
        bar.finish();
        ys.map_err(super::run_failed)
    };
    if let Some(spec) = sharded {
        let mut shard = DesignShard::new(spec, &shape, &args.out)?;
        let mine = block_rows(&shard.chunks);
        sobol_budget(args, groups, (mine.len(), mine.len()), false, outputs.len(), threads)?;
        let ys = evaluate(&mine)?;
        for (&k, block) in shard.chunks.clone().iter().zip(ys.chunks(model.block_rows())) {
            let mut w = Writer::default();
            design_codec::encode_rows(&mut w, block, outputs.len());
            shard.add(k, w);
        }
        return shard.write();
    }
    let ys = match merged {
        Some(parts) => {
            super::design_shard::check_parts(parts, &shape)?;
            sobol_budget(args, groups, (0, rows), true, outputs.len(), threads)?;
            let blocks = super::design_shard::decode_all(parts, |_, r| {
                design_codec::decode_rows(r, model.block_rows(), outputs.len())
            })?;
            blocks.into_iter().flatten().collect()
        }
        None => {
            sobol_budget(args, groups, (rows, rows), true, outputs.len(), threads)?;
            evaluate(&(0..rows).collect::<Vec<_>>())?
        }
    };
    let r = model.analyze(&ys, &outputs, seed, args.bootstrap, &super::INTERRUPTED).map_err(|e| match e {
        ModelSobolError::Design(d) => design_error(d),
        ModelSobolError::Run(e) => super::run_failed(e),
    })?;
    let out = out.ok_or_else(|| Error::Runtime("sobol: no output directory was claimed".into()))?;
    outln!(
        "Sobol indices for scenario {} ({} input groups over {} inputs; N = {}, {} trials; seed {}; {} bootstrap resamples)",
        scenario.name,
        r.groups.len(),
        r.dims,
        r.n,
        r.rows,
        seed,
        args.bootstrap
    );
    outln!("S1: share of the output's variance a group explains alone; ST: with all its interactions. 95% bootstrap intervals.");
    outln!("These are Monte Carlo estimates: an S1 slightly above its ST, or slightly below 0, is noise of the size of the intervals; raise --n to narrow them.");
    for (o, s) in &r.outputs {
        outln!();
        let spread = match o {
            SobolOutput::Metric(m) => {
                format!("mean {}, sd {}", metric_text(*m, s.mean), metric_text(*m, s.variance.sqrt()))
            }
            _ => format!("P = {}", percent(s.mean)),
        };
        outln!("{} ({spread}; sum of S1 = {:.2})", o.key(), s.sum_first());
        if s.constant {
            outln!("  constant in every trial: nothing to apportion");
            continue;
        }
        let mut t = TextTable::new(&[
            ("rank", Align::Right),
            ("input group", Align::Left),
            ("S1", Align::Right),
            ("95% interval", Align::Right),
            ("ST", Align::Right),
            ("95% interval", Align::Right),
        ]);
        for (i, g) in ranked_groups(s).into_iter().take(args.top).enumerate() {
            let (f, tt) = (s.first[g], s.total[g]);
            t.row(vec![
                (i + 1).to_string(),
                r.groups[g].clone(),
                format!("{:.3}", f.estimate),
                format!("{:.3} to {:.3}", f.low, f.high),
                format!("{:.3}", tt.estimate),
                format!("{:.3} to {:.3}", tt.low, tt.high),
            ]);
        }
        out!("{}", t.render());
    }
    write_outputs(&out, |dir| {
        csv_analysis::write_sobol(&dir.join("sobol.csv"), &r)?;
        for lang in args.lang.langs() {
            let cd = chart_dir(dir, lang)?;
            for (o, s) in r.outputs.iter().filter(|(_, s)| !s.constant) {
                let bars = ranked_groups(s)
                    .into_iter()
                    .take(args.top)
                    .map(|g| SobolBar {
                        label: factor_label(&r.groups[g], lang),
                        first: (s.first[g].estimate, s.first[g].low, s.first[g].high),
                        total: (s.total[g].estimate, s.total[g].low, s.total[g].high),
                    })
                    .collect();
                let what = match o {
                    SobolOutput::Metric(m) => lang.metric(TargetId::ALL[*m]).to_string(),
                    SobolOutput::Met(m) => match lang {
                        Lang::Zh => format!("{}是否达成", lang.metric(TargetId::ALL[*m])),
                        Lang::En => format!("whether {} is met", lang.metric(TargetId::ALL[*m]).to_lowercase()),
                    },
                    SobolOutput::AllMet => lang.t("全部目标是否达成", "whether all targets are met").into(),
                };
                let label = |lang| {
                    crate::report::view::scenario_label(&scenario.name, &scenario.label_zh, &scenario.label_en, lang)
                };
                let title = match lang {
                    Lang::Zh => format!("Sobol 敏感性指数: {what} (N = {}; {})", r.n, label(lang)),
                    Lang::En => format!("Sobol indices: {what} (N = {}; {})", r.n, label(lang)),
                };
                let chart = SobolChart { name: format!("sobol_{}", o.key()), title, bars, lang };
                render(&chart, lang, &cd).map_err(|e| ExportError::new(dir, e))?;
            }
        }
        Ok(())
    })?;
    super::runs::register_analysis("sobol", &scenario, &a.overrides, rows as u64, vec![], vec![], &out.shown);
    Ok(())
}

/// Groups by total index, largest first (ties: first-order, then design order).
fn ranked_groups(s: &crate::sensitivity::sobol::SobolIndices) -> Vec<usize> {
    let mut g: Vec<usize> = (0..s.total.len()).collect();
    g.sort_by(|&a, &b| {
        s.total[b]
            .estimate
            .total_cmp(&s.total[a].estimate)
            .then(s.first[b].estimate.total_cmp(&s.first[a].estimate))
            .then(a.cmp(&b))
    });
    g
}

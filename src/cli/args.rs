//! The raw command line, as clap parses it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// parkcast: how likely are Jiaxing's 2027 urban-type industry targets to be met?
///
/// parkcast simulates the 20 key blocks of the policy's annex and the existing industry of the
/// central city month by month, in many random trials, and reports the probability of reaching
/// each 2027 target and all of them. Scenarios are TOML files (see docs/scenario-format.md);
/// with no file the built-in baseline is used, so every command works from any directory.
/// With no command, parkcast runs the baseline.
#[derive(Debug, Parser)]
#[command(name = "parkcast", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// Read the seed files (blocks.csv, targets.toml, base.toml: the bureau's base figures) from
    /// this directory instead of ./seeds; a file it does not hold is the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    pub seeds: Option<PathBuf>,

    /// With no command, parkcast runs the built-in baseline (as `parkcast run`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and report the probability of meeting each target and all of them.
    ///
    /// Runs the trials in parallel, prints the target and block tables, and writes into the
    /// output directory (default outputs/<scenario name>/; with --set, outputs/<scenario
    /// name>+<overrides>/), all at once or not at all:
    ///   summary.csv, readings.csv, beliefs.csv, block_summary.csv, criticality.csv,
    ///   timeseries.csv, checkpoints.csv (P on track at each year end), trials.parquet,
    ///   run.json, report_data.json, report.html (the
    ///   bilingual report), parkcast.xlsx (the tables and fan charts as one Excel workbook),
    ///   and in charts/zh/
    ///   and charts/en/ as SVG and PNG: a fan chart per target, the goal probabilities, the
    ///   distribution of each metric at the deadline, the block timeline, the blocks'
    ///   contributions (and a waterfall per target) and their criticality.
    /// The same scenario, seed and version give byte-identical data files for any --threads.
    #[command(
        after_help = "Examples:\n  parkcast run\n  parkcast run --trials 20000 --targets city_2027_draft\n  parkcast run scenarios/baseline.toml --precision 0.005 --trials 2000000\n  parkcast run --set levers.parallel_approvals.value=6 --out outputs/faster"
    )]
    Run(RunArgs),

    /// Compare scenarios on common random numbers: P(met) per target and paired differences.
    ///
    /// Every scenario runs with the same seed and number of trials (the first scenario's,
    /// unless given), so differences against the first scenario are paired and come from the
    /// scenarios' changes alone. Writes compare.csv and a grouped bar chart.
    #[command(after_help = "Example:\n  parkcast compare baseline policy_package slow_approvals --trials 20000")]
    Compare(CompareArgs),

    /// P(met) per target along the values of one parameter (common random numbers).
    ///
    /// PATH is what --set takes: a lever (levers.parallel_approvals.value), a parameter
    /// (params.start.delay_months, set to a fixed value), or a field of its distribution
    /// (params.start.delay_months.pert.mode). Writes sweep.csv and a line chart. With --vary
    /// (two or more), a multi-lever sweep over a grid or a Latin hypercube.
    #[command(
        after_help = "Examples:\n  parkcast sweep --param levers.parallel_approvals.value --range 0:12:7\n  parkcast sweep scenarios/baseline.toml --param base.revenue_2024_cny --values 6e10,7e10,8e10\n  parkcast sweep --vary levers.parallel_approvals.value=0:12:5 --vary levers.investment_promotion.value=1,1.5,2\n  parkcast sweep --vary levers.special_fund.value=0:0.5 --vary levers.multi_storey.value=1:1.6 --vary levers.industry_funds.value=1:2 --design lhs --points 30"
    )]
    Sweep(SweepArgs),

    /// The value of a parameter at which a target is met with probability ≥ P.
    ///
    /// Bisection on common random numbers between --bounds (default: a lever's range). Finds
    /// the smallest value, or the largest for a parameter that lowers the probability, and the
    /// interval the Monte Carlo error leaves around it; says so when no value reaches P.
    #[command(
        name = "goal-seek",
        after_help = "Example:\n  parkcast goal-seek --param base.revenue_growth_per_year --target revenue --prob 0.8 --bounds 0,0.3"
    )]
    GoalSeek(GoalSeekArgs),

    /// Compare the scenario's lever packages ([packages.<id>]) with the status quo: regret.
    ///
    /// Runs the scenario as it stands and with each package's levers, on common random
    /// numbers. Prints, per option, P(met) per target and for all targets with the paired
    /// change against the status quo, and the regret per trial (targets missed that the best
    /// option of the same trial meets; and whether some option met all targets when this one
    /// did not) as mean and 90th percentile, ranked by mean regret. Writes packages.csv,
    /// parkcast.xlsx, report.html and a chart into outputs/packages/.
    #[command(after_help = "Example:
  parkcast packages --trials 20000")]
    Packages(PackagesArgs),

    /// Rank the uncertainties and levers by how much they move P(met): a tornado.
    ///
    /// Sets each uncertain parameter (all blocks that use it together), each common factor and
    /// each lever in turn to its 10th and 90th percentile (levers: the ends of their range),
    /// everything else as in the scenario, on common random numbers, and ranks the swing in
    /// P(met) (ties: the swing of the median). Without --target, one table per target of the
    /// set; --target all ranks P(all targets met). Writes tornado.csv and one chart per target
    /// (P(met), and the median metric).
    #[command(
        after_help = "Examples:\n  parkcast tornado --target revenue\n  parkcast tornado scenarios/policy_package.toml --trials 10000 --top 10"
    )]
    Tornado(TornadoArgs),

    /// Sobol indices: which uncertainties explain the variance of each output at the deadline.
    ///
    /// A Saltelli design of N base points (a power of two) gives N × (groups + 2) trials, each
    /// with its uncertain inputs pinned at a point of the design (through their inverse CDFs);
    /// first-order indices (Saltelli 2010) say what a group explains alone, total indices
    /// (Jansen 1999) what it explains with its interactions; 95 % intervals by bootstrap.
    /// Intrinsic randomness (firm counts, waiting times) is a group of its own. Outputs are
    /// metrics (revenue, jobs, …), target indicators (revenue_met, …) or all_met.
    #[command(
        after_help = "Examples:\n  parkcast sobol --outputs revenue,tech_smes\n  parkcast sobol --outputs revenue_met --n 8192 --groups block"
    )]
    Sobol(SobolArgs),

    /// Scenario discovery: under which conditions is a target missed? (PRIM)
    ///
    /// Runs the trials and records, for each, the common factors, the uncertain city-wide
    /// parameters, each block's start month and how many blocks start after each quarter; then
    /// PRIM peels away the trials least associated with missing the target and reports the box
    /// with the highest share of misses among those that still hold at least --min-coverage of
    /// all misses, as readable rules. Writes discover.csv (the whole trajectory) and a chart.
    #[command(
        after_help = "Examples:\n  parkcast discover --target revenue\n  parkcast discover scenarios/nanhu.toml --target parks --min-coverage 0.3"
    )]
    Discover(DiscoverArgs),

    /// Forecast from observed progress, and list the blocks at risk (policy section 七(二)).
    ///
    /// Reads an observations file (TOML, or CSV for the per-block table; see
    /// scenarios/observed/), fixes what was observed by its as-of month in every trial and
    /// draws the rest conditionally (a block not started by then starts later), updates the
    /// common factors from the evidence (importance re-weighting; --no-learning to skip), and
    /// reports the probability of each target, how much is already reached, and per block:
    /// status against plan, P(operating by the deadline), contribution at risk, whether the
    /// 有进有出 rule makes it a candidate to leave the list, and what a reserve block started now
    /// would change. Writes the run's files plus monitor.csv and a monitoring section in
    /// report.html into outputs/<scenario>-asof-<month>/.
    #[command(after_help = "Example:\n  parkcast monitor --observed scenarios/observed/2026-06.toml")]
    Monitor(MonitorArgs),

    /// List the runs registered in outputs/runs.sqlite, or show one.
    ///
    /// Every command that writes an output directory (run, run --two-level, monitor, compare,
    /// sweep) registers there: scenario and hash, overrides, target set and readings, seed,
    /// trials, version, date, headline P(met) per target and the directory (marked deleted when
    /// it is gone). PARKCAST_RUNS_DB names another catalogue (empty: do not register).
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  parkcast runs\n  parkcast runs --scenario baseline --since 2026-12-01\n  parkcast runs show 3"
    )]
    Runs(RunsArgs),

    /// Show one trial month by month: every block's dates and part of each metric.
    ///
    /// Trials are deterministic functions of the scenario, seed and trial index, so trial K here
    /// is exactly row K of trials.parquet of a run of the same scenario and seed. Prints the
    /// blocks and the monthly totals, and writes replay_months.csv (total, base and each block,
    /// every month) and replay_blocks.csv.
    #[command(
        after_help = "Examples:\n  parkcast replay --trial 0\n  parkcast replay scenarios/downturn.toml --trial 4711 --every 1"
    )]
    Replay(ReplayArgs),

    /// Redraw the charts and report.html of a run directory from its report_data.json,
    /// without simulating again (e.g. after a parkcast upgrade, or for another language).
    #[command(after_help = "Example:\n  parkcast report outputs/baseline --lang en")]
    Report {
        /// A directory written by `parkcast run`.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Language of charts and report: zh, en or both.
        #[arg(long, value_enum, default_value = "both")]
        lang: LangArg,
    },

    /// Merge the partial files of a sharded run, Sobol design or multi-lever sweep (`run`,
    /// `sobol`, `sweep --vary` with --shard I/N) into the command's outputs.
    ///
    /// Checks that the parts are every shard of one run, each once (same version, scenario,
    /// seed, trials and command), and writes what that command writes on one machine: the data
    /// files byte for byte (docs/scale-out.md).
    #[command(after_help = "Example:\n  parkcast merge outputs/baseline-parts/*.pcpart --out outputs/baseline")]
    Merge(super::merge::MergeArgs),

    /// Print the annex's 20 key blocks as a table.
    ///
    /// Chinese and English names, land area in mu, land type, start status and the developer
    /// kind that parkcast adds (marked *: see seeds/README.md for how it was classified).
    Blocks,

    /// Check a scenario file and print every resolved parameter with where it came from.
    ///
    /// Follows `extends`, applies `--set` overrides, checks everything and reports all problems
    /// at once (file:line: key.path: what is wrong), exiting with code 2. When the scenario is
    /// valid, prints it fully resolved as TOML: each value with the level that set it
    /// (params, groups.<axis>.<value>, blocks.<id> or override), file and line, and its source
    /// or assumption.
    #[command(
        after_help = "Examples:\n  parkcast validate\n  parkcast validate scenarios/baseline.toml --block 13\n  parkcast validate --set params.start.delay_months.pert.mode=12 --set settings.trials=20000"
    )]
    Validate {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Print only this block's resolved parameters (after the shared sections).
        #[arg(long, value_name = "ID")]
        block: Option<u32>,
    },

    /// Write a scenario as an Excel workbook to edit, then run it with `parkcast run FILE.xlsx`.
    ///
    /// The workbook holds the scenario with its `extends` chain and --set overrides applied:
    /// sheet 参数 one row per distribution (parameter, scope, distribution and its numbers,
    /// source or assumption, a note column), sheet 设置 every other value (name, settings,
    /// levers, start.at …), sheet 说明 how to edit it. run, validate, compare, sweep and the
    /// other commands read it wherever they take a scenario, through the same validation;
    /// problems name the sheet and cell (参数!E14). Unedited, it runs exactly as the scenario.
    #[command(
        after_help = "Examples:\n  parkcast template my_scenario.xlsx\n  parkcast template slow.xlsx slow_approvals --set settings.trials=20000\n  parkcast run my_scenario.xlsx"
    )]
    Template(TemplateArgs),
}

/// Options of `parkcast template`.
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// The workbook to write (FILE.xlsx); its name becomes the scenario's name.
    #[arg(value_name = "FILE.xlsx")]
    pub file: PathBuf,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Replace FILE.xlsx if it exists (edits made in it are lost).
    #[arg(long)]
    pub force: bool,
}

/// Which scenario, with which overrides.
#[derive(Debug, Clone, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML), or the name of a built-in scenario (e.g. baseline).
    /// Default: scenarios/baseline.toml if present, else the built-in baseline.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,

    /// Override a value after the file and its `extends` chain, e.g.
    /// `--set settings.trials=20000` or `--set blocks.17.start.delay_months=12` (a fixed value).
    /// Repeatable; later ones win.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub overrides: Vec<String>,
}

/// Options of `parkcast run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Number of trials (default: the scenario's settings.trials, 100,000 in the baseline).
    /// With --precision, the most to run.
    #[arg(long, value_name = "N")]
    pub trials: Option<u64>,
    /// Random seed (default: the scenario's settings.seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Target set: city_2027_final (the default: 嘉政发〔2024〕20号), city_2027_draft or nanhu_2027; each states the readings (口径) of its targets (docs/targets.md).
    #[arg(long = "targets", value_name = "SET")]
    pub target_set: Option<String>,
    /// Last simulated month, YYYY-MM (from the deadline up to 2035-12).
    #[arg(long, value_name = "YYYY-MM")]
    pub horizon: Option<String>,
    /// Stop once every target's 95 % interval half-width is at most H (e.g. 0.005 = ±0.5
    /// points), checked after each chunk of 10,000 trials.
    #[arg(long, value_name = "H")]
    pub precision: Option<f64>,
    /// How the trials' random numbers are sampled: plain (independent, the default) or lhs
    /// (Latin hypercube: every parameter stratified over each 10,000 trials; the same results
    /// for any thread count). Analysis commands take `--set settings.sampling=lhs`.
    #[arg(long, value_name = "METHOD")]
    pub sampling: Option<String>,
    /// Output directory (default: outputs/<scenario name>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as one JSON document on standard output instead of the tables (for
    /// programs calling parkcast; schema in docs/python.md). Output files are still written
    /// unless --no-write.
    #[arg(long)]
    pub json: bool,
    /// Do not write output files; only print the tables.
    #[arg(long)]
    pub no_write: bool,
    /// Start without asking even if the job is estimated to run longer than 5 minutes
    /// (needed for such jobs without a terminal, e.g. in scripts).
    #[arg(long)]
    pub yes: bool,
    /// Trials per variant for per-block criticality (each block on schedule for certain, and
    /// dropped; paired with the run's first trials). Default 5,000 (or --trials if fewer);
    /// 0 skips it.
    #[arg(long, value_name = "N")]
    pub criticality_trials: Option<u64>,
    /// Trials per variant for the levers' measured effects on the report's first screen (each
    /// lever on against off, paired with the run's first trials) and for --with-tornado.
    /// Default 5,000 (or --trials if fewer); 0 skips the levers' effects.
    #[arg(long, value_name = "N")]
    pub effect_trials: Option<u64>,
    /// Also run a tornado (each factor at p10 and p90, --effect-trials trials per setting) and
    /// put its top factors in the report; about 2 evaluations per factor, so not by default.
    #[arg(long)]
    pub with_tornado: bool,
    /// Language of charts and report: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
    #[command(flatten)]
    pub two_level: TwoLevelArgs,
    /// Run one shard of the trials on this machine and write a partial file for `parkcast merge`
    /// (docs/scale-out.md): I/N (shard I of N, 1-based), slurm (from SLURM_ARRAY_TASK_ID,
    /// _MIN and _COUNT) or k8s/N (from JOB_COMPLETION_INDEX). --out is then the folder of the
    /// parts (default outputs/<scenario name>-parts).
    #[arg(long, value_name = "I/N|slurm|k8s/N")]
    pub shard: Option<String>,
}

/// `run --two-level` (docs/uncertainty.md): what we do not know apart from what varies by chance.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TwoLevelArgs {
    /// Two-level run: draw the epistemic parameters once per plausible world (--outer), the
    /// aleatory ones in each of --inner trials within it; shows P(met) across worlds and which
    /// unknown explains most of it. Writes two_level.csv (to outputs/<scenario>_two_level).
    #[arg(long)]
    pub two_level: bool,
    /// Worlds (outer draws of what we do not know) of a two-level run: 40 to 100,000 (default 400).
    #[arg(long, value_name = "N")]
    pub outer: Option<usize>,
    /// Trials per world (what varies by chance) of a two-level run: at least 2 (default 250).
    #[arg(long, value_name = "M")]
    pub inner: Option<u64>,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
    Both,
}

impl LangArg {
    pub fn langs(self) -> Vec<crate::report::charts::Lang> {
        use crate::report::charts::Lang;
        match self {
            LangArg::Zh => vec![Lang::Zh],
            LangArg::En => vec![Lang::En],
            LangArg::Both => vec![Lang::Zh, Lang::En],
        }
    }
}

/// Options every what-if command shares.
#[derive(Debug, Clone, Args)]
pub struct WhatIfCommon {
    /// Trials per evaluation (compare: default the first scenario's; sweep, goal-seek,
    /// packages and tornado: default 20,000).
    #[arg(long, value_name = "N")]
    pub trials: Option<u64>,
    /// Random seed shared by every evaluation (default: the scenario's).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Override applied to every scenario, as in `run` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub overrides: Vec<String>,
    /// Start without asking even if the job is estimated to run longer than 5 minutes
    /// (needed for such jobs without a terminal, e.g. in scripts).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// Two or more scenario files or built-in names; differences are against the first.
    #[arg(value_name = "SCENARIO", num_args = 2.., required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub common: WhatIfCommon,
    /// Output directory (default: outputs/compare).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the chart: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The key path to vary.
    #[arg(long, value_name = "PATH", required_unless_present = "vary", conflicts_with = "vary")]
    pub param: Option<String>,
    /// Values, comma-separated (e.g. 0,3,6 or -0.02,0.05).
    #[arg(long, value_name = "A,B,C", allow_hyphen_values = true, conflicts_with = "range")]
    pub values: Option<String>,
    /// Evenly spaced values LO:HI:STEPS (STEPS ≥ 2 points, ends included; e.g. -1:1:3).
    #[arg(long, value_name = "LO:HI:STEPS", allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Multi-lever sweep: vary PATH over VALUES (a,b,c or LO:HI:STEPS; with --design lhs,
    /// LO:HI), repeated for two or more paths. Writes sweep_grid.csv, and for a grid of two
    /// paths a heat map.
    #[arg(long, value_name = "PATH=VALUES", allow_hyphen_values = true, conflicts_with_all = ["values", "range"])]
    pub vary: Vec<String>,
    /// Layout of a multi-lever sweep: every combination (grid) or a Latin hypercube (lhs).
    #[arg(long, value_enum, default_value = "grid", requires = "vary")]
    pub design: DesignArg,
    /// Points of a Latin hypercube (--design lhs).
    #[arg(long, value_name = "N", requires = "vary")]
    pub points: Option<usize>,
    /// The target the heat map shows: parks, specialized, tech_smes, revenue, jobs or all.
    #[arg(long, value_name = "ID", default_value = "all", requires = "vary")]
    pub target: String,
    #[command(flatten)]
    pub common: WhatIfCommon,
    /// Evaluate one shard of the design (--vary only) on this machine and write a partial file for
    /// `parkcast merge` (docs/scale-out.md): I/N (1-based), slurm or k8s/N, as for `run`.
    /// --out is then the folder of the parts (default outputs/sweep-parts).
    #[arg(long, value_name = "I/N|slurm|k8s/N")]
    pub shard: Option<String>,
    /// Output directory (default: outputs/sweep).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the chart: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct PackagesArgs {
    /// Scenario file or built-in name with [packages.*] (default: the baseline, which has four).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    #[command(flatten)]
    pub common: WhatIfCommon,
    /// Output directory (default: outputs/packages).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the chart and report: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

/// `--design`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DesignArg {
    /// Every combination of the values.
    Grid,
    /// A Latin hypercube of --points points within each path's LO:HI.
    Lhs,
}

/// `--groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupingArg {
    /// One group per parameter path (all blocks together), city parameter and kind of factor.
    Param,
    /// One group per block, city parameter and kind of factor.
    Block,
    /// Every block's value of every parameter on its own.
    None,
}

/// Seed, threads and overrides, as the analysis commands take them.
#[derive(Debug, Clone, Args)]
pub struct AnalysisSettings {
    /// Random seed (default: the scenario's settings.seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Override a value, as in `run` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub overrides: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SobolArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Outputs to explain, comma-separated: parks, specialized, tech_smes, revenue, jobs (the
    /// metric at the deadline), <id>_met (whether the target is met) or all_met.
    /// Default: every metric of the target set.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub outputs: Vec<String>,
    /// Base sample size N, a power of two, at least 64 (trials: N × (groups + 2)).
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub n: usize,
    /// How inputs are grouped.
    #[arg(long, value_enum, default_value = "param")]
    pub groups: GroupingArg,
    /// Bootstrap resamples for the 95 % intervals (at least 100).
    #[arg(long, value_name = "B", default_value_t = 500)]
    pub bootstrap: usize,
    /// Groups shown in the terminal and the charts (sobol.csv has all).
    #[arg(long, value_name = "K", default_value_t = 15)]
    pub top: usize,
    /// Start without asking even if the job is estimated to run longer than 5 minutes
    /// (needed for such jobs without a terminal, e.g. in scripts).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub settings: AnalysisSettings,
    /// Evaluate one shard of the design on this machine and write a partial file for
    /// `parkcast merge` (docs/scale-out.md): I/N (1-based), slurm or k8s/N, as for `run`.
    /// --out is then the folder of the parts (default outputs/sobol-parts).
    #[arg(long, value_name = "I/N|slurm|k8s/N")]
    pub shard: Option<String>,
    /// Output directory (default: outputs/sobol).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the charts: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct DiscoverArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// A target id (parks, specialized, tech_smes, revenue, jobs), or all (missing any).
    #[arg(long, value_name = "ID|all")]
    pub target: String,
    /// Trials to run and analyse.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub trials: u64,
    /// The chosen box holds at least this share of all misses.
    #[arg(long, value_name = "C", default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Share of the box's trials each peeling step removes.
    #[arg(long, value_name = "A", default_value_t = 0.05)]
    pub alpha: f64,
    /// Rules are dropped while the density falls by at most this much in all.
    #[arg(long, value_name = "D", default_value_t = 0.02)]
    pub max_density_loss: f64,
    #[command(flatten)]
    pub settings: AnalysisSettings,
    /// Output directory (default: outputs/discover).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the chart: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct MonitorArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The observations file (.toml, or .csv for the per-block table).
    #[arg(long, value_name = "FILE")]
    pub observed: PathBuf,
    /// Number of trials (default: the scenario's settings.trials).
    #[arg(long, value_name = "N")]
    pub trials: Option<u64>,
    /// Do not learn from the observations (neither the common factors nor the on-time
    /// probability of planned starts are updated).
    #[arg(long)]
    pub no_learning: bool,
    /// With --two-level: how much of what we do not know the observations settled (P(met)
    /// across plausible worlds before and after them; writes monitor_two_level.csv).
    #[command(flatten)]
    pub two_level: TwoLevelArgs,
    #[command(flatten)]
    pub settings: AnalysisSettings,
    /// Output directory (default: outputs/<scenario>-asof-<YYYY-MM>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not write output files; only print the tables.
    #[arg(long)]
    pub no_write: bool,
    /// Language of charts and report: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The trial's index (0 is the first trial of a run).
    #[arg(long, value_name = "K")]
    pub trial: u64,
    /// Random seed (default: the scenario's settings.seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Print every N-th month (the deadline and the last month are always printed).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub every: usize,
    /// Override a value, as in `run` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub overrides: Vec<String>,
    /// Output directory (default: outputs/<scenario>-trial-<K>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct TornadoArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// A target id (parks, specialized, tech_smes, revenue, jobs) or all (jointly); default:
    /// every target of the set, one table each.
    #[arg(long, value_name = "ID|all")]
    pub target: Option<String>,
    /// Factors shown in the terminal and the charts (tornado.csv has all).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,
    #[command(flatten)]
    pub common: WhatIfCommon,
    /// Output directory (default: outputs/tornado).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of the charts: zh, en or both.
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Args)]
pub struct GoalSeekArgs {
    /// Scenario file or built-in name (default: the baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The key path to vary.
    #[arg(long, value_name = "PATH")]
    pub param: String,
    /// A target id (parks, specialized, tech_smes, revenue, jobs) or all.
    #[arg(long, value_name = "ID|all")]
    pub target: String,
    /// The probability to reach, between 0 and 1 (0.8, not 80%).
    #[arg(long, value_name = "P", value_parser = probability)]
    pub prob: f64,
    /// The search interval LO,HI, e.g. -0.1,0.3 (default: the lever's range for
    /// levers.<name>.value).
    #[arg(long, value_name = "LO,HI", allow_hyphen_values = true)]
    pub bounds: Option<String>,
    /// Stop when the bracket is narrower than this (default: 1/200 of the bounds).
    #[arg(long, value_name = "X")]
    pub tolerance: Option<f64>,
    #[command(flatten)]
    pub common: WhatIfCommon,
}

#[derive(Debug, Clone, Args)]
pub struct RunsArgs {
    #[command(subcommand)]
    pub command: Option<RunsCommand>,
    /// Only the runs of this scenario (its name, as `parkcast runs` lists it).
    #[arg(long, value_name = "S")]
    pub scenario: Option<String>,
    /// Only the runs on this day or later (UTC), as YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RunsCommand {
    /// Print one registered run.
    Show {
        /// The run's id, as `parkcast runs` lists it.
        id: i64,
    },
}

/// A probability typed on the command line: a fraction; a percent (`80%`, `80％`) is refused
/// with the fraction to write (shares are fractions throughout parkcast).
fn probability(text: &str) -> Result<f64, String> {
    if let Some(fraction) = crate::text::percent_as_fraction(text) {
        return Err(format!("`{text}` is a percent: write the probability as a fraction, {fraction}"));
    }
    crate::text::ascii_form(text)
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("expected a probability such as 0.8, found `{text}`"))
}

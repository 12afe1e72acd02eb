//! A scenario conditioned on observations: blocks added to or removed from the list, and
//! everything observed fixed in the plan every trial runs.

use super::observations::{BlockObservation, Observations, Seen};
use crate::model::{KnownBase, KnownBlock, KnownTime, Plan, MODEL_START};
use crate::month::Month;
use crate::scenario::Scenario;
use crate::seeds::BlockScope;
use sha2::{Digest, Sha256};

/// The conditioned scenario and plan.
#[derive(Clone, Debug)]
pub struct Conditioned {
    /// The scenario with added blocks appended and removed ones no longer counted; its hash
    /// covers the observations too.
    pub scenario: Scenario,
    pub plan: Plan,
    pub as_of: Month,
}

fn model_time(m: Month) -> f64 {
    m.since(Month::new(MODEL_START.0, MODEL_START.1).expect("valid")) as f64
}

fn known_block(o: &BlockObservation, as_of: f64) -> KnownBlock {
    let time = |s: Option<Seen>| {
        s.map(|s| match s {
            Seen::In(m) => KnownTime::At(model_time(m)),
            Seen::NotYet => KnownTime::NotYet,
        })
    };
    KnownBlock {
        as_of,
        start: time(o.started),
        operation: time(o.delivered),
        area_m2: o.floor_area_m2,
        occupancy: o.occupancy,
        tech_smes: o.tech_smes,
        specialized: o.specialized,
        revenue_cny: o.revenue_cny,
        jobs: o.jobs,
    }
}

/// Applies `obs` to `scenario`. `observations_text` (the file's bytes) goes into the hash.
pub fn condition(scenario: &Scenario, obs: &Observations, observations_text: &[u8]) -> Conditioned {
    let mut s = scenario.clone();
    for a in &obs.added {
        let counts = match s.target_set.blocks {
            BlockScope::All => true,
            BlockScope::District(d) => a.block.district == d,
        };
        s.params.push(s.params_for(&a.block));
        s.blocks.push(a.block.clone());
        if counts {
            s.counted_blocks.push(a.block.id);
        }
    }
    for o in obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)) {
        if o.removed {
            s.counted_blocks.retain(|id| *id != o.id);
        }
    }
    let mut hasher = Sha256::new();
    hasher.update(s.hash.as_bytes());
    hasher.update(observations_text);
    let digest = hasher.finalize();
    s.hash = format!("sha256:{}", digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>());
    let mut plan = Plan::new(&s);
    let as_of = model_time(obs.as_of) + 1.0;
    for o in obs.blocks.iter().chain(obs.added.iter().map(|a| &a.observation)) {
        let i = s.blocks.iter().position(|b| b.id == o.id).expect("validated against the seeds");
        plan.blocks[i].known = Some(Box::new(known_block(o, as_of)));
    }
    plan.known.base = KnownBase {
        revenue: obs.base.revenue,
        specialized: obs.base.specialized.map(|c| (as_of, c)),
        tech_smes: obs.base.tech_smes.map(|c| (as_of, c)),
    };
    Conditioned { scenario: s, plan, as_of: obs.as_of }
}

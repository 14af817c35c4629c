//! Victim-perpetrator dyads and their contact histories. Most dyads have one
//! incident, a heavy tail repeats (Bland & Ariel 2015: 76 % no repeat); some
//! histories speed up; a few perpetrators have several victims; a few dyads
//! carry most of the harm; some victims move to another force's area.
//!
//! A dyad's plan is a pure function of the seed, its home force and number,
//! so the force a victim moves to can replay it without shared state.

use super::events::DyadId;
use super::people::{PersonKey, PersonKind, Window};
use crate::random::Random;

const DAY_MS: f64 = 86_400_000.0;

/// A dyad and when its incidents happen.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadPlan {
    pub id: DyadId,
    pub victim: PersonKey,
    pub perpetrator: PersonKey,
    pub high_harm: bool,
    /// Incident times, in order, inside the window.
    pub times: Vec<i64>,
    /// The victim moves to the chosen force at this position, at this instant.
    pub move_to: Option<(usize, i64)>,
}

/// Share of dyads whose victim moves to another simulated force.
const MOVER_SHARE: f64 = 0.015;

/// Whether dyad `index` of the force at `position` moves, and to which force position.
/// Cheap, so every force can ask it of every other force's dyads.
pub fn mover(seed: u64, forces: usize, position: usize, home_force: u16, index: u64) -> Option<usize> {
    if forces < 2 {
        return None;
    }
    let mut random = Random::stream(seed, &[4, u64::from(home_force), index]);
    if !random.chance(MOVER_SHARE) {
        return None;
    }
    let step = 1 + random.below(forces as u64 - 1) as usize;
    Some((position + step) % forces)
}

/// The plan of dyad `index` of the force at `position` (global force number `home_force`).
pub fn plan(seed: u64, forces: usize, position: usize, home_force: u16, index: u64, window: Window) -> DyadPlan {
    let mut random = Random::stream(seed, &[5, u64::from(home_force), index]);
    let id = DyadId {
        force: home_force,
        index,
    };
    let victim = PersonKey {
        force: home_force,
        kind: PersonKind::Victim,
        index,
    };
    let perpetrator_index = if index > 10 && random.chance(0.04) {
        random.below(index)
    } else {
        index
    };
    let perpetrator = PersonKey {
        force: home_force,
        kind: PersonKind::Perpetrator,
        index: perpetrator_index,
    };
    let high_harm = random.chance(0.025);
    let times = history(&mut random, window, high_harm);
    let move_to = mover(seed, forces, position, home_force, index).and_then(|to| {
        (times.len() >= 2).then(|| {
            let split = 1 + random.below(times.len() as u64 - 1) as usize;
            (to, times[split] - 1)
        })
    });
    DyadPlan {
        id,
        victim,
        perpetrator,
        high_harm,
        times,
        move_to,
    }
}

/// How many incidents, and when: one for most dyads; repeats come faster for some.
fn history(random: &mut Random, window: Window, high_harm: bool) -> Vec<i64> {
    let repeat_share = if high_harm { 0.45 } else { 0.24 };
    let count = if random.chance(repeat_share) {
        (2.0 + random.lognormal(1.3, 0.9)).min(25.0) as usize
    } else {
        1
    };
    let escalating = random.chance(0.3);
    let mut gap_days = random.lognormal(35.0, 0.6);
    let first = window.instant(random);
    let mut at = evening(random, first);
    let mut times = vec![at];
    for _ in 1..count {
        let gap = if escalating {
            gap_days
        } else {
            random.exponential(gap_days)
        };
        at = evening(random, at + (gap.max(0.05) * DAY_MS) as i64);
        if at >= window.end {
            break;
        }
        times.push(at);
        if escalating {
            gap_days *= 0.7;
        }
    }
    times.sort_unstable();
    times
}

/// Most DA incidents happen in the evening and night: move most times there (same day, UTC).
pub fn evening(random: &mut Random, at: i64) -> i64 {
    if !random.chance(0.65) {
        return at;
    }
    let day_start = at - at.rem_euclid(DAY_MS as i64);
    day_start + ((17.0 + random.unit() * 9.0) * 3_600_000.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_dyads_have_one_incident_and_plans_replay() {
        let window = Window {
            start: 1_700_000_000_000,
            end: 1_700_000_000_000 + 365 * 86_400_000,
        };
        let plans: Vec<DyadPlan> = (0..4000).map(|i| plan(11, 5, 0, 40, i, window)).collect();
        let single = plans.iter().filter(|p| p.times.len() == 1).count() as f64 / plans.len() as f64;
        assert!((0.7..0.85).contains(&single), "{single}");
        assert!(
            plans.iter().any(|p| p.perpetrator.index != p.id.index),
            "some serial perpetrators"
        );
        assert_eq!(plan(11, 5, 0, 40, 7, window), plans[7]);
        assert!(plans.iter().all(|p| p.times.windows(2).all(|w| w[0] <= w[1])));
    }
}

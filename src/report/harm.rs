//! How concentrated harm is: each dyad's harm (the summed harm weights of
//! its domestic incidents), the share of all harm held by the most harmful
//! 1 %, 2 % and 5 % of dyads, and the Lorenz curve of that spread (most
//! harmful first, as in the Cambridge Crime Harm Index literature's "power few").

use polars::prelude::PlHashMap;

use super::facts::IncidentFact;

/// One force's concentration.
#[derive(Debug, Clone)]
pub struct Concentration {
    pub dyads: usize,
    pub total_harm: f64,
    /// (percent of dyads, dyads in that top share, percent of harm they hold).
    pub top: Vec<(f64, usize, f64)>,
    /// Lorenz curve points (percent of dyads, percent of harm), at every whole percent.
    pub lorenz: Vec<(f64, f64)>,
}

/// The top shares reported.
pub const TOP_PERCENTS: [f64; 3] = [1.0, 2.0, 5.0];

/// Each dyad's harm over the given facts (domestic incidents naming a victim and a suspect).
pub fn dyad_harms<'a>(facts: impl Iterator<Item = &'a IncidentFact>) -> Vec<f64> {
    let mut harms: PlHashMap<(u32, u32), f64> = PlHashMap::default();
    for fact in facts.filter(|f| f.domestic) {
        if let (Some(victim), Some(perpetrator)) = (fact.victim, fact.perpetrator) {
            *harms.entry((victim, perpetrator)).or_default() += fact.harm;
        }
    }
    let mut keyed: Vec<((u32, u32), f64)> = harms.into_iter().collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, harm)| harm).collect()
}

/// The concentration of a list of dyad harms; `None` when there is no harm at all.
pub fn concentration(mut harms: Vec<f64>) -> Option<Concentration> {
    harms.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = harms.iter().sum();
    if harms.is_empty() || total <= 0.0 {
        return None;
    }
    let mut cumulative = Vec::with_capacity(harms.len() + 1);
    cumulative.push(0.0);
    for harm in &harms {
        cumulative.push(cumulative.last().copied().unwrap_or(0.0) + harm);
    }
    let n = harms.len();
    let share_at = |dyads: f64| {
        let below = (dyads.floor() as usize).min(n);
        let above = (below + 1).min(n);
        let weight = dyads - below as f64;
        100.0 * (cumulative[below] + (cumulative[above] - cumulative[below]) * weight) / total
    };
    let top = TOP_PERCENTS
        .iter()
        .map(|&percent| {
            let dyads = ((percent / 100.0) * n as f64).ceil() as usize;
            (percent, dyads, 100.0 * cumulative[dyads.min(n)] / total)
        })
        .collect();
    let lorenz = (0..=100)
        .map(|percent| {
            let x = f64::from(percent);
            (x, share_at(x / 100.0 * n as f64))
        })
        .collect();
    Some(Concentration {
        dyads: n,
        total_harm: total,
        top,
        lorenz,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_curve_follow_the_sorted_harms() {
        // 100 dyads: one with harm 50, four with 10, the rest with 10/95 each (total 100).
        let mut harms = vec![50.0, 10.0, 10.0, 10.0, 10.0];
        harms.extend(std::iter::repeat_n(10.0 / 95.0, 95));
        let c = concentration(harms).unwrap();
        assert_eq!(c.dyads, 100);
        assert!((c.total_harm - 100.0).abs() < 1e-9);
        let shares: Vec<f64> = c.top.iter().map(|t| (t.2 * 1e6).round() / 1e6).collect();
        assert_eq!(shares, vec![50.0, 60.0, 90.0]);
        assert_eq!(c.top[0].1, 1);
        assert_eq!(c.lorenz.first(), Some(&(0.0, 0.0)));
        assert!((c.lorenz[100].1 - 100.0).abs() < 1e-9);
        assert!(c.lorenz.windows(2).all(|w| w[1].1 >= w[0].1), "non-decreasing");
        assert!(concentration(vec![0.0, 0.0]).is_none());
    }
}

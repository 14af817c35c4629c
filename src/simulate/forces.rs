//! The 43 territorial police forces of England and Wales as the simulator
//! knows them: id, name, postcode areas, rough population, and which of the
//! five pilot export dialects each one writes.

/// One force of the simulated world.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceProfile {
    pub id: &'static str,
    pub name: &'static str,
    /// Postcode areas of the force's territory (outward-code letters).
    pub areas: &'static [&'static str],
    /// Residents, in millions (approximate; it only weights volumes).
    pub population: f64,
    /// Index into the five pilot dialects (see the template in `dialect.rs`).
    pub dialect: usize,
    /// One of the five forces piloting Raneem's Law.
    pub pilot: bool,
}

const fn force(
    id: &'static str,
    name: &'static str,
    areas: &'static [&'static str],
    population: f64,
    dialect: usize,
    pilot: bool,
) -> ForceProfile {
    ForceProfile {
        id,
        name,
        areas,
        population,
        dialect,
        pilot,
    }
}

/// Pilot dialect indices, in the order of the dialect template.
pub const WEST_MIDLANDS: usize = 0;
pub const NORTHUMBRIA: usize = 1;
pub const NORTHAMPTONSHIRE: usize = 2;
pub const BEDFORDSHIRE: usize = 3;
pub const HUMBERSIDE: usize = 4;

/// All 43 forces, alphabetically.
pub const ALL_FORCES: &[ForceProfile] = &[
    force(
        "avon_and_somerset",
        "Avon and Somerset Constabulary",
        &["BS", "BA", "TA"],
        1.7,
        0,
        false,
    ),
    force(
        "bedfordshire",
        "Bedfordshire Police",
        &["LU", "MK"],
        0.7,
        BEDFORDSHIRE,
        true,
    ),
    force(
        "cambridgeshire",
        "Cambridgeshire Constabulary",
        &["CB", "PE"],
        0.9,
        1,
        false,
    ),
    force("cheshire", "Cheshire Constabulary", &["CH", "CW", "WA"], 1.1, 2, false),
    force("city_of_london", "City of London Police", &["EC"], 0.01, 3, false),
    force("cleveland", "Cleveland Police", &["TS"], 0.57, 4, false),
    force("cumbria", "Cumbria Constabulary", &["CA", "LA"], 0.5, 0, false),
    force("derbyshire", "Derbyshire Constabulary", &["DE"], 1.05, 1, false),
    force(
        "devon_and_cornwall",
        "Devon and Cornwall Police",
        &["EX", "PL", "TQ", "TR"],
        1.8,
        2,
        false,
    ),
    force("dorset", "Dorset Police", &["BH", "DT"], 0.78, 3, false),
    force("durham", "Durham Constabulary", &["DH", "DL"], 0.64, 4, false),
    force("dyfed_powys", "Dyfed-Powys Police", &["SA", "SY", "LD"], 0.52, 0, false),
    force("essex", "Essex Police", &["CM", "CO", "SS"], 1.9, 1, false),
    force(
        "gloucestershire",
        "Gloucestershire Constabulary",
        &["GL"],
        0.65,
        2,
        false,
    ),
    force(
        "greater_manchester",
        "Greater Manchester Police",
        &["M", "BL", "OL", "SK", "WN"],
        2.9,
        3,
        false,
    ),
    force("gwent", "Gwent Police", &["NP"], 0.6, 4, false),
    force(
        "hampshire",
        "Hampshire and Isle of Wight Constabulary",
        &["SO", "PO"],
        2.0,
        0,
        false,
    ),
    force(
        "hertfordshire",
        "Hertfordshire Constabulary",
        &["AL", "HP", "SG", "WD"],
        1.2,
        1,
        false,
    ),
    force("humberside", "Humberside Police", &["HU", "DN"], 0.93, HUMBERSIDE, true),
    force("kent", "Kent Police", &["CT", "ME", "TN", "DA"], 1.9, 2, false),
    force(
        "lancashire",
        "Lancashire Constabulary",
        &["PR", "BB", "FY"],
        1.5,
        3,
        false,
    ),
    force("leicestershire", "Leicestershire Police", &["LE"], 1.1, 4, false),
    force("lincolnshire", "Lincolnshire Police", &["LN"], 0.77, 0, false),
    force("merseyside", "Merseyside Police", &["L"], 1.4, 1, false),
    force(
        "metropolitan",
        "Metropolitan Police Service",
        &[
            "E", "N", "SE", "SW", "W", "NW", "CR", "BR", "HA", "IG", "RM", "UB", "EN", "KT", "SM", "TW",
        ],
        8.9,
        2,
        false,
    ),
    force("norfolk", "Norfolk Constabulary", &["NR"], 0.92, 3, false),
    force("north_wales", "North Wales Police", &["LL"], 0.7, 4, false),
    force(
        "north_yorkshire",
        "North Yorkshire Police",
        &["YO", "HG"],
        0.83,
        0,
        false,
    ),
    force(
        "northamptonshire",
        "Northamptonshire Police",
        &["NN"],
        0.79,
        NORTHAMPTONSHIRE,
        true,
    ),
    force(
        "northumbria",
        "Northumbria Police",
        &["NE", "SR"],
        1.5,
        NORTHUMBRIA,
        true,
    ),
    force("nottinghamshire", "Nottinghamshire Police", &["NG"], 1.2, 1, false),
    force("south_wales", "South Wales Police", &["CF"], 1.3, 2, false),
    force("south_yorkshire", "South Yorkshire Police", &["S"], 1.4, 3, false),
    force("staffordshire", "Staffordshire Police", &["ST"], 1.1, 4, false),
    force("suffolk", "Suffolk Constabulary", &["IP"], 0.76, 0, false),
    force("surrey", "Surrey Police", &["GU", "RH"], 1.2, 1, false),
    force("sussex", "Sussex Police", &["BN"], 1.7, 2, false),
    force(
        "thames_valley",
        "Thames Valley Police",
        &["OX", "RG", "SL"],
        2.4,
        3,
        false,
    ),
    force("warwickshire", "Warwickshire Police", &["CV"], 0.6, 4, false),
    force("west_mercia", "West Mercia Police", &["WR", "HR", "TF"], 1.3, 0, false),
    force(
        "west_midlands",
        "West Midlands Police",
        &["B", "CV", "WS", "WV", "DY"],
        2.9,
        WEST_MIDLANDS,
        true,
    ),
    force(
        "west_yorkshire",
        "West Yorkshire Police",
        &["LS", "BD", "HD", "WF", "HX"],
        2.3,
        1,
        false,
    ),
    force("wiltshire", "Wiltshire Police", &["SN", "SP"], 0.72, 2, false),
];

/// The five pilot forces, in the order the pilot names them.
pub fn pilot_forces() -> Vec<ForceProfile> {
    [
        "west_midlands",
        "northumbria",
        "northamptonshire",
        "bedfordshire",
        "humberside",
    ]
    .iter()
    .filter_map(|id| by_id(id))
    .collect()
}

pub fn by_id(id: &str) -> Option<ForceProfile> {
    ALL_FORCES.iter().copied().find(|f| f.id == id)
}

/// A force's own prefix for references: its initials, upper case (`WM`, `NB`, …).
pub fn reference_prefix(force: &ForceProfile) -> String {
    match force.id {
        "northumbria" => "NB".into(),
        "northamptonshire" => "NH".into(),
        "bedfordshire" => "BD".into(),
        "humberside" => "HB".into(),
        id => {
            let initials: String = id.split('_').filter_map(|w| w.chars().next()).collect();
            let prefix = if initials.len() >= 2 {
                initials
            } else {
                id[..2].to_string()
            };
            prefix.to_uppercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_43_forces_with_five_pilots_on_their_own_dialects() {
        assert_eq!(ALL_FORCES.len(), 43);
        let pilots = pilot_forces();
        assert_eq!(pilots.len(), 5);
        for (dialect, force) in pilots.iter().enumerate() {
            assert!(force.pilot);
            assert_eq!(force.dialect, dialect);
        }
        assert_eq!(reference_prefix(&pilots[0]), "WM");
    }
}

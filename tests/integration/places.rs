//! Places beyond UK postcodes: an incident's place is the most precise its
//! export gives (a premises address, a map grid square, a block address, a
//! postcode), normalised so one place typed two ways is one place.

use crate::support::*;

/// West Midlands' incidents with premises, coordinates and block columns, mapped.
fn with_place_columns(ws: &Workspace, values: &[[&str; 4]]) {
    ws.edit("west_midlands/incidents.csv", |t| {
        let mut lines = t.lines();
        let mut out = format!("{},Premises,Lat,Lon,Block\n", lines.next().unwrap());
        for (line, [premises, lat, lon, block]) in lines.zip(values.iter().cycle()) {
            out.push_str(&format!("{line},\"{premises}\",{lat},{lon},{block}\n"));
        }
        out
    });
    ws.edit("vigil.toml", |t| {
        t.replacen(
            "created_at = \"Created\"",
            "created_at = \"Created\"\npremises_address = \"Premises\"\nlatitude = \"Lat\"\nlongitude = \"Lon\"\nblock_address = \"Block\"",
            1,
        )
    });
}

#[test]
fn each_incident_is_placed_as_precisely_as_its_export_allows() {
    let ws = Workspace::new();
    with_place_columns(
        &ws,
        &[
            ["Flat 3, 12 High Street", "52.4068", "-1.5197", "1XX HIGH ST"],
            ["", "52.4068", "-1.5197", "1XX HIGH ST"],
            ["", "", "", "1xx High Street"],
            ["", "NULL", "NULL", ""],
            ["flat 3 12 high st.", "", "", ""],
        ],
    );
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let incidents = ws.table("incidents");
    let kinds = strings(&incidents, "place_kind");
    let places = strings(&incidents, "place");
    let postcodes = strings(&incidents, "postcode");
    let of = |k: usize| {
        (
            kinds[k].clone().unwrap_or_default(),
            places[k].clone().unwrap_or_default(),
        )
    };
    assert_eq!(of(0), ("PREMISES".into(), "UNIT 3 12 HIGH ST".into()));
    assert_eq!(of(1).0, "GRID");
    assert!(of(1).1.starts_with("GRID 100M "), "{:?}", of(1));
    assert_eq!(of(2), ("BLOCK".into(), "1XX HIGH ST".into()));
    assert_eq!(of(3), ("POSTCODE".into(), postcodes[3].clone().unwrap()));
    assert_eq!(of(4), of(0), "one flat typed two ways is one place");
}

#[test]
fn a_coordinate_that_is_not_a_number_is_the_rows_fault() {
    let ws = Workspace::new();
    with_place_columns(&ws, &[["", "north", "-1.5197", ""]]);
    assert!(ws.ingest(&["--quarantine-limit", "1"]).status.success());
    let rows = ws.quarantine();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| &r[3] == "Lat" && r[5].contains("not a decimal number")),
        "{rows:?}"
    );
}

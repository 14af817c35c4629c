//! What a column is called when it holds each canonical field: cues of
//! words, each word with its spellings (`received|recv|rcvd`), that a column
//! name must hold all of. A name scores ten for each cue word it holds, less
//! one for each other word it has (words like `date`, `time` and `is` are
//! not counted), so `TimeReceived` answers `received` better than
//! `call_received_by_operator` does.

use crate::config::Field;

/// Words that say nothing of which field a column holds.
const FILLER: [&str; 14] = [
    "date",
    "time",
    "datetime",
    "dt",
    "dte",
    "tm",
    "at",
    "timestamp",
    "stamp",
    "the",
    "of",
    "by",
    "is",
    "a",
];

/// The cues of a field, most specific first.
pub fn cues(field: Field) -> &'static [&'static str] {
    use Field::*;
    match field {
        CallId => &[
            "call|contact id|ref|reference|no|num|number|nbr|nr|urn",
            "callref|callid|callno",
        ],
        IncidentRef => &[
            "incident|inc|log|occurrence|occ|event|cad|job id|ref|reference|no|num|number|nbr|nr|urn",
            "incident|inc|incidentno|incidentref|logno|occurrence",
        ],
        Channel => &[
            "contact|call type|source|method|origin|channel",
            "channel|source|origin",
        ],
        ReceivedAt => &["received|recv|rcvd|receipt|start|started|begin"],
        AnsweredAt => &["answered|answer|ans|pickup"],
        EndedAt => &["ended|end|finish|finished|hangup"],
        CallerNumber => &[
            "caller|calling|contact tel|telephone|phone|number|no|num",
            "cli|ani|caller",
            "phone|telephone|tel",
        ],
        Abandoned => &["abandoned|aband|abandon|abd"],
        Silent => &["silent"],
        CreatedAt => &[
            "log|incident|inc opened|created|create|open",
            "created|create|creation|opened|reported",
            "incident|inc",
        ],
        OpeningCode => &[
            "opening|open|initial|original code|type|classification|class|category|cat|nature",
            "call|incident|event|problem type|category|nature",
            "type|category|classification|nature",
        ],
        ClosingCode => {
            &["closing|close|closed|final|current|resolution code|type|classification|class|category|cat|nature"]
        }
        DaQualifier => &[
            "da|dv|dom|domestic|dva flag|marker|qualifier|indicator|ind|related",
            "domestic",
        ],
        InitialGrade => &[
            "initial|original|first|open|opening grade|priority|pri|grading|response",
            "grade|priority|pri|grading",
        ],
        FinalGrade => &["final|current|closing|close|last grade|priority|pri|grading|response"],
        GradedAt => &["graded|grade|grading"],
        RegradedAt => &[
            "regraded|regrade|regrading|upgraded|downgraded",
            "grade|priority changed|change|changes|amended",
        ],
        DispatchedAt => &[
            "resource|unit assigned|allocated|dispatched|deployed",
            "dispatched|dispatch|disp|assigned|deployed|despatched|despatch|allocated|allocation",
        ],
        ArrivedAt => &[
            "on scene",
            "resource|unit arrived|onscene|attended",
            "arrived|arrival|arr|arrive|onscene|attended|attendance|scene",
        ],
        ClosedAt => &["closed|close|cleared|clear|closure|finalised|resolved"],
        Postcode => &["post|zip code", "postcode|postal|zip|zipcode|pcode"],
        Area => &[
            "urban rural",
            "location|locality|area type",
            "area|urban|rural|urbanrural",
        ],
        RiskTool => &["risk|assessment|dash tool|type|form"],
        RiskLevel => &["risk|dash level|grading|grade|rating|rate|category|outcome"],
        RiskScore => &["risk|dash score|total|points", "score"],
        RiskAssessedAt => &["risk|dash assessed|assessment|completed|complete|done", "risk|dash"],
        MaracReferralAt => &["marac"],
        IdvaReferralAt => &["idva|isva"],
        ReferralType => &["referral|referred type|agency|to", "referral|referred"],
        ReferralAt => &["referral|referred made|sent", "referral|referred"],
        SpecialistReviewAt => &["specialist review|reviewed", "review|reviewed", "specialist"],
        Outcome => &["outcome|result|disposal|disposition|finalisation|clearance"],
        OffenceCode => &[
            "ho|home offence|offense|crime|code",
            "offence|offense|crime code|type|class|classification",
            "offence|offense|crime",
        ],
        Narrative => &["narrative|summary|remarks|notes|comments|description|details|synopsis|text"],
        PremisesAddress => &[
            "premises|location|incident|street|site|scene address|addr",
            "address|addr",
            "premises",
        ],
        BlockAddress => &["block address|addr|location", "block"],
        Latitude => &["latitude|lat"],
        Longitude => &["longitude|lon|long|lng"],
        Role => &[
            "person|nominal|party role|type|involvement",
            "role|involvement|involved|capacity",
        ],
        PersonRef => &[
            "nominal|person|subject|individual|party|people id|ref|reference|no|num|number|urn|key",
            "pnc|pnd|cro|niche|local id|ref|no|number|urn",
            "pnc|urn",
        ],
        Forename => &[
            "first|given|christian name|names",
            "forename|forenames|firstname|givenname",
        ],
        Surname => &["last|family name", "surname|lastname|familyname"],
        FullName => &["full|person|subject|nominal|party name|names", "name|names"],
        DateOfBirth => &["dob|birth|birthdate|born"],
        Phone => &[
            "contact|home|mobile phone|telephone|tel|number|no|num",
            "phone|telephone|tel|mobile|landline",
        ],
        Address => &["home|residential|person address|addr", "address|addr"],
        Sex => &["sex|gender"],
    }
}

/// The best score a column name's words reach on the field's cues, with the cue.
pub fn name_score(field: Field, name: &[String]) -> Option<(i32, &'static str)> {
    let counted: Vec<&str> = name
        .iter()
        .map(String::as_str)
        .filter(|w| !FILLER.contains(w))
        .collect();
    cues(field)
        .iter()
        .filter_map(|cue| cue_score(cue, &counted).map(|score| (score, *cue)))
        .max_by_key(|(score, _)| *score)
}

/// Ten for each cue word the name holds, less one for each name word no cue word took; None unless all are held.
fn cue_score(cue: &str, name: &[&str]) -> Option<i32> {
    let mut taken = vec![false; name.len()];
    for cue_word in cue.split(' ') {
        let spellings: Vec<&str> = cue_word.split('|').collect();
        let at = (0..name.len()).find(|&i| !taken[i] && spellings.contains(&name[i]))?;
        taken[at] = true;
    }
    let held = taken.iter().filter(|t| **t).count() as i32;
    let other = taken.len() as i32 - held;
    Some(held * 10 - other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::words::words;

    fn score(field: Field, name: &str) -> Option<i32> {
        name_score(field, &words(name)).map(|(s, _)| s)
    }

    #[test]
    fn names_answer_the_fields_they_hold() {
        assert_eq!(score(Field::ReceivedAt, "TimeReceived"), Some(10));
        assert_eq!(score(Field::ReceivedAt, "call_received"), Some(9));
        assert_eq!(score(Field::CallId, "CallRef"), Some(20));
        assert_eq!(score(Field::CallId, "Caller Number"), None, "a caller is not a call");
        assert_eq!(score(Field::CallerNumber, "Caller Number"), Some(20));
        assert_eq!(score(Field::FinalGrade, "GradeInitial"), None);
        assert!(score(Field::InitialGrade, "GradeInitial") > score(Field::InitialGrade, "GradeFinal"));
        assert_eq!(score(Field::ArrivedAt, "OnScene"), Some(20));
        assert_eq!(score(Field::DateOfBirth, "Date of Birth"), Some(10));
        assert_eq!(score(Field::PersonRef, "pnc_local_id"), Some(19));
    }
}

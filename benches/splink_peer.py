"""Splink beside vigil on the link bench's files, in the same run.

Usage (the peer's venv, see ../shared/peer/README.md):
  ~/.cache/vigil-peer/venv/bin/python benches/splink_peer.py INPUT.csv OUT.csv

Runs ../shared/peer/splink_dedupe.py unchanged on files it knows, and adds
two profiles in its style (Splink's comparison library, its documented
blocking, u by random sampling, m by EM) for the bench's own files:
  bench_people  (benches/link/main.rs: id, first_name, surname, dob, postcode, city, email, phone)
  register      (benches/link/register.rs: person_id, given_name, family_name, sex,
                 birth_date as DD/MM/YYYY, address_line, town, postcode, mobile)
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "peer"))

import splink_dedupe as peer  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import SettingsCreator, block_on  # noqa: E402

known_profile, known_model = peer.profile_for, peer.model


def profile_for(cols):
    c = set(cols)
    if {"person_id", "given_name", "family_name", "birth_date"} <= c:
        return "register"
    if {"id", "first_name", "surname", "dob", "email", "phone"} <= c and "unique_id" not in c:
        return "bench_people"
    return known_profile(cols)


def model(profile):
    if profile == "bench_people":
        uid, s, det, recall, u_pairs, em, extra = known_model("people")
        s.unique_id_column_name = "id"
        return "id", s, det, recall, u_pairs, em, extra
    if profile != "register":
        return known_model(profile)
    br = [
        block_on("given_name", "family_name"),
        block_on("family_name", "birth_date"),
        block_on("given_name", "birth_date"),
        block_on("postcode", "family_name"),
        block_on("postcode", "given_name"),
        block_on("mobile"),
        block_on("birth_date", "substr(postcode,1,2)"),
    ]
    s = SettingsCreator(
        unique_id_column_name="person_id", link_type="dedupe_only",
        blocking_rules_to_generate_predictions=br,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%d/%m/%Y"),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("town").configure(term_frequency_adjustments=True),
            cl.ExactMatch("address_line"),
            cl.ExactMatch("mobile"),
            cl.ExactMatch("sex"),
        ],
        retain_intermediate_calculation_columns=False)
    det = [block_on("given_name", "family_name", "birth_date"), block_on("mobile")]
    return ("person_id", s, det, 0.7, 1e7,
            [block_on("given_name", "family_name"), block_on("birth_date")], "")


peer.profile_for, peer.model = profile_for, model

if __name__ == "__main__":
    peer.main()

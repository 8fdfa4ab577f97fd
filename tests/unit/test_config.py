"""The versioned configuration: the real files load, bad files say exactly what is wrong."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from rvg.config import load_cohort, load_organisations, load_programme
from rvg.errors import ConfigError
from rvg.programme import read_cohort, read_region
from tests.utils.config_files import REAL_CONFIG, copy_config, replace_in


def test_brabant_has_its_56_municipalities_in_four_regions():
    region = read_region(REAL_CONFIG)
    municipalities = [o for o in region.organisations if o.kind == "municipality"]
    assert len(municipalities) == 56
    assert Counter(o.region for o in municipalities) == {
        "West-Brabant": 16,
        "Hart van Brabant": 9,
        "Noordoost-Brabant": 10,
        "Zuidoost-Brabant": 21,
    }
    names = {o.name for o in municipalities}
    assert {"'s-Hertogenbosch", "Land van Cuijk", "Maashorst", "Meierijstad", "Altena"} <= names
    assert not {"Haaren", "Boxmeer", "Uden", "Veghel"} & names  # merged away


def test_programme_has_both_tracks_and_the_minimum_of_twelve():
    programme = load_programme(REAL_CONFIG / "programme.yaml")
    assert [t.name for t in programme.tracks] == ["Ruimtelijke Ordening", "Verkeer en Mobiliteit"]
    assert programme.min_organisations == 12
    assert programme.track("VERKEER EN MOBILITEIT").code == "vm"


def test_cohort_2027_loads_with_its_key_dates():
    region = read_region(REAL_CONFIG)
    cohort = read_cohort("2027", REAL_CONFIG / "cohorts" / "2027.yaml", region)
    dates = cohort.key_dates
    assert dates["signup_opens"] < dates["signup_deadline"] < dates["training_start"]
    assert cohort.tracks == ["ro", "vm"]


def _problems(exc_info) -> str:
    return "\n".join(exc_info.value.problems)


def test_wrong_type_names_file_and_field(tmp_path):
    config = copy_config(tmp_path)
    replace_in(config / "programme.yaml", "min_organisations: 12", "min_organisations: twaalf")
    with pytest.raises(ConfigError) as exc_info:
        load_programme(config / "programme.yaml")
    assert exc_info.value.file.endswith("programme.yaml")
    assert "field 'min_organisations'" in _problems(exc_info)
    assert "valid integer" in _problems(exc_info)


def test_a_time_zone_in_the_programme_file_points_to_the_setting(tmp_path):
    # Earlier releases accepted a timezone here and nothing read it: it is refused with a way out.
    config = copy_config(tmp_path)
    path = config / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "timezone: Europe/Brussels\n", "utf-8")
    with pytest.raises(ConfigError) as exc_info:
        load_programme(path)
    assert "RVG_TIMEZONE" in _problems(exc_info)
    assert "remove the line" in _problems(exc_info)


def test_missing_key_date_is_named(tmp_path):
    config = copy_config(tmp_path)
    replace_in(config / "cohorts" / "2027.yaml", "  training_start: 2027-09-06\n", "")
    region = read_region(config)
    with pytest.raises(ConfigError) as exc_info:
        load_cohort(config / "cohorts" / "2027.yaml", region.programme, region.organisations)
    assert "field 'key_dates': required key date(s) missing: training_start" in _problems(exc_info)


def test_every_problem_is_reported_at_once(tmp_path):
    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "tracks: [ro, vm]", "tracks: [ro, bouw]")
    replace_in(path, "  signup_deadline: 2026-10-30", "  signup_deadline: 2026-02-30")
    replace_in(path, "organisations: all", "organisations: [Tilburg, Gemeente Atlantis]")
    region = read_region(config)
    with pytest.raises(ConfigError) as exc_info:
        load_cohort(path, region.programme, region.organisations)
    problems = _problems(exc_info)
    assert "field 'tracks': unknown track 'bouw'; valid: ro, vm" in problems
    assert "field 'organisations': unknown organisation(s): 'Gemeente Atlantis'" in problems
    assert "field 'key_dates.signup_deadline'" in problems


def test_key_dates_out_of_order(tmp_path):
    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "meet_and_greet: 2027-06-17", "meet_and_greet: 2027-10-17")
    region = read_region(config)
    with pytest.raises(ConfigError, match="meet_and_greet must fall before training_start"):
        load_cohort(path, region.programme, region.organisations)


def test_named_organisations_are_resolved_to_codes(tmp_path):
    config = copy_config(tmp_path)
    path = config / "cohorts" / "2027.yaml"
    replace_in(path, "organisations: all", 'organisations: [tilburg, GM0772, "\'s-Hertogenbosch"]')
    region = read_region(config)
    cohort = load_cohort(path, region.programme, region.organisations)
    assert cohort.organisations == ["GM0772", "GM0796", "GM0855"]


def test_code_must_match_the_code_asked_for():
    region = read_region(REAL_CONFIG)
    with pytest.raises(ConfigError, match="differs from the cohort code '2028'"):
        read_cohort("2028", REAL_CONFIG / "cohorts" / "2027.yaml", region)


def test_organisation_rows_are_checked_one_by_one(tmp_path):
    config = copy_config(tmp_path)
    path = config / "organisations.csv"
    replace_in(
        path, "GM0855,Tilburg,municipality,Hart van Brabant", "GM0855,Tilburg,stad,Hart van Brabant"
    )
    replace_in(
        path,
        "GM0772,Eindhoven,municipality,Zuidoost-Brabant",
        "GM0772,Eindhoven,municipality,Kempen",
    )
    replace_in(path, "GM0758,Breda,", "GM0748,Breda,")
    programme = load_programme(config / "programme.yaml")
    with pytest.raises(ConfigError) as exc_info:
        load_organisations(path, programme)
    problems = exc_info.value.problems
    assert len(problems) == 3
    assert any(p.startswith("row ") and "field 'kind'" in p for p in problems)
    assert any("field 'region': 'Kempen' is not a region" in p for p in problems)
    assert any("field 'code': 'GM0748' is already on row" in p for p in problems)


def test_missing_column_and_missing_file(tmp_path):
    config = copy_config(tmp_path)
    path = config / "organisations.csv"
    replace_in(path, "code,name,kind,region", "code,naam,kind,region")
    programme = load_programme(config / "programme.yaml")
    with pytest.raises(ConfigError, match="missing column"):
        load_organisations(path, programme)
    with pytest.raises(ConfigError, match="file not found"):
        load_programme(tmp_path / "nope.yaml")


def test_invalid_yaml_names_the_line(tmp_path):
    config = copy_config(tmp_path)
    replace_in(config / "programme.yaml", "region: Noord-Brabant", "region: [Noord-Brabant")
    with pytest.raises(ConfigError, match=r"line \d+: not valid YAML"):
        load_programme(config / "programme.yaml")


def test_a_past_as_of_may_only_mail_the_local_sink():
    from datetime import date

    from rvg.notifications.safety import UnsafeDryRun, refuse_past_as_of
    from rvg.phases import Phase

    today = date(2026, 12, 3)
    past = date(2026, 9, 7)
    refuse_past_as_of(Phase.COMMITMENTS, past, today, "127.0.0.1")  # a rehearsal: the sink
    refuse_past_as_of(Phase.COMMITMENTS, None, today, "smtp.provincie.example")
    refuse_past_as_of(Phase.COMMITMENTS, today, today, "smtp.provincie.example")
    refuse_past_as_of(Phase.BUSINESS_CASE, past, today, "smtp.provincie.example")  # no e-mail
    with pytest.raises(UnsafeDryRun, match="commitments as of 2026-09-07 lies in the past"):
        refuse_past_as_of(Phase.COMMITMENTS, past, today, "smtp.provincie.example")


def test_a_shifted_dispatch_clock_is_refused_unless_the_sink_is_local():
    from rvg.notifications.safety import CLOCK_TOLERANCE, UnsafeDryRun, refuse_shifted_clock

    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    refuse_shifted_clock(None, now, "smtp.example.org")
    refuse_shifted_clock(now - CLOCK_TOLERANCE, now, "smtp.example.org")  # a scheduler's delay
    refuse_shifted_clock(now + timedelta(days=200), now, "127.0.0.1")
    refuse_shifted_clock(now - timedelta(days=200), now, "localhost")
    with pytest.raises(UnsafeDryRun, match="in the past"):
        refuse_shifted_clock(now - timedelta(days=1), now, "smtp.example.org")
    with pytest.raises(UnsafeDryRun, match="in the future"):
        refuse_shifted_clock(now + CLOCK_TOLERANCE + timedelta(seconds=1), now, "smtp.example.org")

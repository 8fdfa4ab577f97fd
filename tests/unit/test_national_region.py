"""The national-scale demo region (config/scales/national/): every Dutch municipality on
1 January 2025, the twelve provinces, the water boards and the environmental services."""

import csv
import re
from collections import Counter

import pytest

from rvg.programme import Region, read_region
from tests.utils.config_files import REAL_CONFIG

NATIONAL_CONFIG = REAL_CONFIG / "scales" / "national"

MUNICIPALITIES_PER_PROVINCE = {
    "Groningen": 10,
    "Fryslân": 18,
    "Drenthe": 12,
    "Overijssel": 25,
    "Flevoland": 6,
    "Gelderland": 51,
    "Utrecht": 26,
    "Noord-Holland": 44,
    "Zuid-Holland": 50,
    "Zeeland": 13,
    "Noord-Brabant": 56,
    "Limburg": 31,
}

PROVINCE_CODES = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}


@pytest.fixture(scope="module")
def region() -> Region:
    return read_region(NATIONAL_CONFIG)


def _of_kind(region: Region, kind: str) -> list:
    return [o for o in region.organisations if o.kind == kind]


def test_programme_is_national_with_the_twelve_provinces_as_regions(region):
    programme = region.programme
    assert programme.region == "Nederland"
    assert programme.regions == list(MUNICIPALITIES_PER_PROVINCE)
    assert programme.programme_organisation == "PV30"  # the province of Noord-Brabant runs it


def test_counts_per_kind(region):
    assert Counter(o.kind for o in region.organisations) == {
        "municipality": 342,
        "province": 12,
        "water_board": 21,
        # 28 on 1 January 2025 (often quoted as 29, an older count); the two Utrecht services
        # and those of Arnhem and Nijmegen only merge from 2026.
        "environmental_service": 28,
    }


def test_municipalities_per_province(region):
    municipalities = _of_kind(region, "municipality")
    assert Counter(o.region for o in municipalities) == MUNICIPALITIES_PER_PROVINCE
    assert all(re.fullmatch(r"GM\d{4}", o.code) for o in municipalities)


def test_provinces_have_the_cbs_codes(region):
    provinces = _of_kind(region, "province")
    assert {o.code: o.region for o in provinces} == PROVINCE_CODES
    assert all(o.name == f"Provincie {o.region}" for o in provinces)


def test_codes_and_names_are_unique(region):
    codes = [o.code.casefold() for o in region.organisations]
    names = [o.name.casefold() for o in region.organisations]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_every_brabant_organisation_is_there_unchanged(region):
    """Same code, name and kind as config/organisations.csv; its region is now the province."""
    with (REAL_CONFIG / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        brabant = list(csv.DictReader(handle))
    national = {o.code: o for o in region.organisations}
    for row in brabant:
        org = national[row["code"]]
        assert (org.name, str(org.kind)) == (row["name"], row["kind"])
        assert org.region == "Noord-Brabant"
    in_brabant = [o for o in region.organisations if o.region == "Noord-Brabant"]
    assert len(in_brabant) == len(brabant)


def test_recent_mergers_are_in_and_merged_away_municipalities_are_out(region):
    municipalities = {o.code: o.name for o in _of_kind(region, "municipality")}
    assert {
        "GM1959": "Altena",
        "GM1966": "Het Hogeland",
        "GM1969": "Westerkwartier",
        "GM1979": "Eemsdelta",
        "GM1980": "Dijk en Waard",
        "GM1982": "Land van Cuijk",
        "GM1991": "Maashorst",
        "GM1992": "Voorne aan Zee",
    }.items() <= municipalities.items()
    merged_away = {
        "Weesp",
        "Beemster",
        "Brielle",
        "Hellevoetsluis",
        "Westvoorne",
        "Heerhugowaard",
        "Langedijk",
        "Boxmeer",
        "Uden",
        "Landerd",
        "Haaren",
        "Appingedam",
        "Delfzijl",
        "Loppersum",
    }
    assert not merged_away & set(municipalities.values())


def test_names_with_commas_survive_the_csv(region):
    names = {o.name for o in region.organisations}
    assert {"Nuenen, Gerwen en Nederwetten", "Waterschap Amstel, Gooi en Vecht"} <= names

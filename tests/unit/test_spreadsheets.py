"""No file the project writes lets a text cell run as a spreadsheet formula."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from rvg.matching.files import write_matching
from rvg.spreadsheets import neutralise, safe_frame, spreadsheet_writer

DANGEROUS = ['=HYPERLINK("http://x";"klik")', "+31 6", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_starts_like_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text


def test_other_texts_and_numbers_stay_as_they_are():
    assert [neutralise(v) for v in ("Tilburg", "", "a=b", 3, -2.5, None)] == [
        "Tilburg",
        "",
        "a=b",
        3,
        -2.5,
        None,
    ]


def test_the_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    spreadsheet_writer(out, lineterminator="\n").writerows([["=1+1", -3, "ok"], ["@x", 7, "-"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=1+1", "-3", "ok"],
        ["'@x", "7", "'-"],
    ]


def test_a_frame_keeps_its_numbers_and_quotes_its_texts(tmp_path):
    frame = pd.DataFrame({"naam": ["=cmd|' /C calc'!A0", "Breda"], "kosten": [-1200.5, 300.0]})
    safe = safe_frame(frame)
    assert safe["naam"].tolist() == ["'=cmd|' /C calc'!A0", "Breda"]
    assert safe["kosten"].tolist() == [-1200.5, 300.0] and frame["naam"][0].startswith("=")
    safe.to_excel(tmp_path / "x.xlsx", index=False)
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert sheet["B2"].value == -1200.5


def test_rvg_match_out_neutralises_ids(tmp_path):
    path = tmp_path / "matching.csv"
    write_matching(path, {"=1+1": "@org", "c2": None}, ["=1+1", "c2"])
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["'=1+1,'@org", "c2,"]

"""``rvg match`` on files: reading and validating C/O/K, writing M, and the command itself."""

from __future__ import annotations

import csv
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rvg.cli import match as match_command
from rvg.cli.match_main import main
from rvg.errors import UserError
from rvg.matching import files
from rvg.matching.algorithm import Instance, solve
from rvg.matching.files import MatchInputError, read_instance, write_matching
from rvg.settings import PROJECT_ROOT

C_CSV = "candidate_id,organisation_id,rank\nanna,X,1\nanna,Y,2\nbram,Y,1\nbram,X,2\ncees,X,1\n"
O_CSV = "organisation_id,candidate_id,rank\nX,bram,1\nX,anna,2\nY,anna,1\nY,bram,2\nY,dirk,3\n"
K_CSV = "organisation_id,capacity\nX,1\nY,1\nZ,4\n"
SUMMARY = re.compile(
    r"^matched=\d+ unmatched_candidates=\d+ open_places=\d+ blocking_pairs=0 seconds=\d+\.\d\d$"
)


def _files(folder: Path, c: str = C_CSV, o: str = O_CSV, k: str = K_CSV) -> list[Path]:
    paths = [folder / "C.csv", folder / "O.csv", folder / "K.csv"]
    for path, text in zip(paths, (c, o, k), strict=True):
        path.write_text(text, encoding="utf-8", newline="")
    return paths


def _arguments(paths: list[Path], out: Path) -> list[str]:
    c, o, k = paths
    return [
        "--candidates",
        str(c),
        "--organisations",
        str(o),
        "--capacities",
        str(k),
        "--out",
        str(out),
    ]


def _problems(folder: Path, **texts: str) -> str:
    with pytest.raises(MatchInputError) as caught:
        read_instance(*_files(folder, **texts))
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_round_trip(tmp_path):
    instance = read_instance(*_files(tmp_path))
    assert instance.candidate_prefs == {"anna": ["X", "Y"], "bram": ["Y", "X"], "cees": ["X"]}
    assert instance.organisation_prefs == {"X": ["bram", "anna"], "Y": ["anna", "bram", "dirk"]}
    assert instance.capacities == {"X": 1, "Y": 1, "Z": 4}
    out = tmp_path / "M.csv"

    assert write_matching(out, solve(instance), instance.candidate_prefs) == 3

    assert out.read_text(encoding="utf-8") == (
        "candidate_id,organisation_id\nanna,X\nbram,Y\ncees,\n"  # dirk is only in O.csv
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bom_crlf_header_case_column_order_quotes_and_unsorted_rows(tmp_path):
    c = '\ufeffRank,Candidate_ID,ORGANISATION_ID\r\n2,bram,X\r\n1,"anna",X\r\n1,bram,Y\r\n'
    c += "2,anna,Y\r\n1,cees,X\r\n"
    o = "organisation_id,candidate_id,rank\nY,anna,1\nX,anna,2\nX,bram,1\nY,dirk,3\nY,bram,2\n\n"
    (tmp_path / "plain").mkdir()
    plain = read_instance(*_files(tmp_path / "plain"))
    odd = read_instance(*_files(tmp_path, c=c, o=o))
    assert odd.candidate_prefs == plain.candidate_prefs
    assert odd.organisation_prefs == plain.organisation_prefs
    assert solve(odd) == solve(plain)


def test_ranks_need_not_be_consecutive(tmp_path):
    c = "candidate_id,organisation_id,rank\nanna,Y,7\nanna,X,3\n"
    instance = read_instance(*_files(tmp_path, c=c))
    assert instance.candidate_prefs == {"anna": ["X", "Y"]}


BAD_FILES = [
    ("c", "candidate_id,organisation_id\nanna,X\n", "row 1: missing column 'rank'"),
    ("o", O_CSV.replace("rank", "rank,note"), "row 1: unexpected column 'note'"),
    ("k", "organisation_id,capacity,capacity\n", "row 1: column 'capacity' appears more"),
    ("c", C_CSV + ",X,1\n", "row 7, field 'candidate_id': empty"),
    ("o", O_CSV + "Y,,4\n", "row 7, field 'candidate_id': empty"),
    ("c", C_CSV + "dirk,X,x\n", "row 7, field 'rank': 'x' is not a whole number of 1 or more"),
    ("c", C_CSV + "dirk,X,0\n", "row 7, field 'rank': '0' is not"),
    ("c", C_CSV + "dirk,X,-1\n", "row 7, field 'rank': '-1' is not"),
    ("o", O_CSV + "Y,cees,1.5\n", "row 7, field 'rank': '1.5' is not"),
    ("c", C_CSV + "dirk,X, 2\n", "row 7, field 'rank': ' 2' is not"),
    ("c", C_CSV + "dirk ,X,1\n", "row 7, field 'candidate_id': 'dirk ' has spaces"),
    (
        "c",
        C_CSV + "cees,Y,1\n",
        "row 7, field 'rank': candidate 'cees' gives rank 1 to 'Y' and to 'X' in row 6",
    ),
    (
        "o",
        O_CSV + "X,cees,2\n",
        "row 7, field 'rank': organisation 'X' gives rank 2 to 'cees' and to 'anna' in row 3",
    ),
    (
        "c",
        C_CSV + "cees,X,2\n",
        "row 7, field 'organisation_id': candidate 'cees' ranks 'X' again (first in row 6)",
    ),
    (
        "o",
        O_CSV + "Y,anna,9\n",
        "row 7, field 'candidate_id': organisation 'Y' ranks 'anna' again (first in row 4)",
    ),
    ("c", C_CSV + "dirk,Q,1\n", "row 7, field 'organisation_id': unknown organisation 'Q'"),
    ("o", O_CSV + "Q,anna,1\n", "row 7, field 'organisation_id': unknown organisation 'Q'"),
    (
        "c",
        C_CSV + "dirk,X\n",
        "row 7: expected 3 fields (candidate_id,organisation_id,rank), found 2",
    ),
    (
        "o",
        O_CSV + '"Y,anna,9\n',
        "row 7: expected 3 fields (organisation_id,candidate_id,rank), found 1",
    ),
    ("k", K_CSV + "W,-2\n", "row 5, field 'capacity': '-2' is a negative capacity"),
    ("k", K_CSV + "W,two\n", "row 5, field 'capacity': 'two' is not a whole number of 0 or more"),
    ("k", K_CSV + "W,\n", "row 5, field 'capacity': '' is not"),
    (
        "k",
        K_CSV + "X,3\n",
        "row 5, field 'organisation_id': organisation 'X' already has a capacity in row 2",
    ),
    ("k", K_CSV + ",3\n", "row 5, field 'organisation_id': empty"),
    ("c", "", "row 1: missing column 'candidate_id'"),
]


@pytest.mark.parametrize(("which", "text", "expected"), BAD_FILES)
def test_each_bad_file_names_file_row_and_field(tmp_path, which, text, expected):
    message = _problems(tmp_path, **{which: text})
    file = f"{tmp_path / f'{which.upper()}.csv'}"
    count = 3 if text == "" else 1
    assert message.startswith(f"{file}: {count} problem(s)\n  - {expected}")
    assert message.count("problem(s)") == 1


def test_not_utf8_and_missing_files(tmp_path):
    paths = _files(tmp_path)
    paths[0].write_bytes("candidate_id,organisation_id,rank\nRenée,X,1\n".encode("cp1252"))
    paths[2].unlink()
    with pytest.raises(MatchInputError) as caught:
        read_instance(*paths)
    message = str(caught.value)
    assert "C.csv: 1 problem(s)\n  - row 2: not UTF-8 text" in message
    assert "K.csv: 1 problem(s)\n  - file not found" in message
    assert "unknown organisation" not in message  # without capacities, not checked


def test_all_problems_of_all_files_are_collected_and_long_lists_cut(tmp_path):
    c = C_CSV + "".join(f"x{i},Q,1\n" for i in range(25))
    message = _problems(tmp_path, c=c, k=K_CSV + "W,-1\n")
    assert "C.csv: 25 problem(s)" in message
    assert message.count("unknown organisation 'Q'") == 20
    assert "  - and 5 more" in message
    assert "K.csv: 1 problem(s)" in message
    assert message.index("K.csv") < message.index("C.csv")


def test_blank_lines_are_skipped(tmp_path):
    c = C_CSV.replace("bram,Y,1\n", "bram,Y,1\n\n,,\n")
    instance = read_instance(*_files(tmp_path, c=c, k=K_CSV + "\n"))
    assert instance.candidate_prefs["bram"] == ["Y", "X"]


def test_writing_into_a_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        write_matching(tmp_path / "nope" / "M.csv", {"a": None}, ["a"])
    with pytest.raises(UserError, match="cannot write"):
        write_matching(tmp_path, {"a": None}, ["a"])  # a folder, not a file
    assert list(tmp_path.iterdir()) == []


def test_command_happy_path(tmp_path, capsys):
    out = tmp_path / "M.csv"
    with pytest.raises(SystemExit) as done:
        main(_arguments(_files(tmp_path), out))
    assert done.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "choice 1: 2 (66.7%)"
    assert SUMMARY.match(lines[-1])
    assert lines[-1].startswith("matched=2 unmatched_candidates=1 open_places=4 blocking_pairs=0 ")
    assert list(csv.reader(out.open())) == [
        ["candidate_id", "organisation_id"],
        ["anna", "X"],
        ["bram", "Y"],
        ["cees", ""],
    ]


def test_command_organisation_optimal(tmp_path, capsys):
    out = tmp_path / "M.csv"
    with pytest.raises(SystemExit):
        main([*_arguments(_files(tmp_path), out), "--optimal", "organisation"])
    assert out.read_text().splitlines()[1:3] == ["anna,Y", "bram,X"]


def test_command_refuses_bad_input_with_exit_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "M.csv"
    out.write_text("left from before\n")
    with pytest.raises(SystemExit) as done:
        main(_arguments(_files(tmp_path, k=K_CSV + "W,-1\n"), out))
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ")
    assert "K.csv: 1 problem(s)" in error and "row 5, field 'capacity'" in error
    assert out.read_text() == "left from before\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C.csv", "K.csv", "M.csv", "O.csv"]


def test_command_refuses_a_matching_that_fails_its_check(tmp_path, capsys, monkeypatch):
    def broken(instance: Instance, optimal: str) -> dict[str, str | None]:
        return {"anna": "Y", "bram": "X", "cees": "X"}  # X over capacity, blocking pairs

    monkeypatch.setattr(match_command, "solve", broken)
    out = tmp_path / "M.csv"
    with pytest.raises(SystemExit) as done:
        main(_arguments(_files(tmp_path), out))
    assert done.value.code == 1
    assert "failed its own check" in capsys.readouterr().err
    assert not out.exists()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rvg.cli.match_main", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )


def test_the_entry_point_as_a_process(tmp_path):
    paths = _files(tmp_path)
    out = tmp_path / "M.csv"

    bad = _run(*_arguments([paths[0], paths[1], tmp_path / "missing.csv"], out))
    assert bad.returncode == 2
    assert "missing.csv: 1 problem(s)\n  - file not found" in bad.stderr
    assert not out.exists()

    good = _run(*_arguments(paths, out))
    assert good.returncode == 0, good.stderr
    assert SUMMARY.match(good.stdout.splitlines()[-1])
    assert out.read_text().startswith("candidate_id,organisation_id\n")


def test_rvg_match_takes_the_fast_path(tmp_path):
    paths = _files(tmp_path, k=K_CSV + "W,-1\n")
    out = tmp_path / "M.csv"
    done = subprocess.run(
        [sys.executable, "-m", "rvg", "match", *_arguments(paths, out)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert "K.csv: 1 problem(s)" in done.stderr
    assert not out.exists()


def test_the_fast_path_agrees_with_the_careful_one():
    """Large valid files skip the row-by-row checks; the shortcut must never change a result
    nor let a problem through."""
    rng = random.Random(9)
    known = set("XYZW")
    spoilers = ["c9,Q,1", "c1,X,0", "c1,,2", "c2,Y,x", " c3,X,1", "c4,X,1", "c4,Y,1", "c5,X,1"]
    for attempt in range(400):
        lines = []
        for c in range(rng.randint(0, 6)):
            orgs = rng.sample(sorted(known), rng.randint(1, 4))
            ranks = sorted(rng.sample(range(1, 9), len(orgs)))
            lines += [f"c{c},{o},{r}" for o, r in zip(orgs, ranks, strict=True)]
        if rng.random() < 0.4:
            lines += rng.sample(spoilers, rng.randint(1, 3))
        if lines and rng.random() < 0.2:
            lines.append(rng.choice(lines))
        if rng.random() < 0.5:
            rng.shuffle(lines)
        text = "candidate_id,organisation_id,rank\n" + "".join(f"{line}\n" for line in lines)
        by_column = files._plain_columns(text, 3)
        assert by_column is not None
        fast = files._fast_preferences(*by_column, 1, known)
        rows, _ = files._rows(text)
        careful, problems = files._careful_preferences(
            rows, [0, 1, 2], files.CANDIDATE_COLUMNS, 1, known
        )
        assert fast == (None if problems else careful), f"attempt {attempt}: {lines}"


def test_files_with_only_a_header_give_an_empty_matching(tmp_path):
    headers = [line.split("\n")[0] + "\n" for line in (C_CSV, O_CSV, K_CSV)]
    instance = read_instance(*_files(tmp_path, *headers))
    assert instance == Instance({}, {}, {})
    assert write_matching(tmp_path / "M.csv", solve(instance), []) == 0
    assert (tmp_path / "M.csv").read_text() == "candidate_id,organisation_id\n"


def test_the_command_imports_nothing_heavy():
    """``rvg match`` must start fast: no database, data-frame, templating or Prefect library."""
    script = (
        "import sys\n"
        "import rvg.cli.match_main\n"
        "heavy = {'sqlalchemy', 'pandas', 'numpy', 'pydantic', 'prefect', 'openpyxl', 'jinja2'}\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert done.stdout.strip() == "[]"

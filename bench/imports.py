"""Benchmark: ``rvg import applicants`` of a large agency export, fresh and again.

A seeded export of N applicants (default 100,000; the columns an agency sends, a Dutch decimal
comma in the scores, one in 50 rows with an invalid e-mail address) is imported on a new
SQLite database (or ``--database-url``), then imported again unchanged. Each measurement runs
in its own process, so its peak memory (max RSS) is its own. The baseline, measured in the same
run on the same file, independent of the project's import code:

- *plain pandas + ORM loop*: the straightforward import the issue measured against. A pandas
  read, then per row the address checked with the validator library, the date and score
  parsed, and one ORM ``Applicant`` with its first ``StageChange`` added (or the stored one's
  attributes set), committed at the end; run fresh and again like the import.
- *read + check only*: a pandas read and the address check, nothing written: the least any
  import must do, a floor rather than a competitor.

Prints seconds, rows per second and peak MB, and how many times faster the import is than the
plain loop doing the same work (fresh against fresh, again against again).

    .venv/bin/python bench/imports.py [--rows 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent

COLUMNS = [
    "applicant_ref",
    "first_name",
    "last_name",
    "email",
    "track",
    "stage",
    "stage_date",
    "years_experience",
    "capacity_score",
    "source",
]
STAGES = ["applied", "screened", "assessment", "interview"]

MEASURE = r"""
import json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
kind, path, url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
if kind == "baseline":
    import pandas as pd
    from email_validator import EmailNotValidError, validate_email
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    valid = 0
    for row in frame.itertuples(index=False):
        try:
            validate_email(row.email, check_deliverability=False, allow_smtputf8=False)
            valid += 1
        except EmailNotValidError:
            pass
    line = f"valid={valid}"
elif kind == "orm-loop":
    import pandas as pd
    from email_validator import EmailNotValidError, validate_email
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    from rvg.db import make_engine
    from rvg.models import Applicant, Cohort, StageChange
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    with Session(make_engine(url)) as session:
        cohort_id = session.scalars(select(Cohort.id).where(Cohort.code == "2027")).one()
        stored = {
            a.applicant_ref: a
            for a in session.scalars(select(Applicant).where(Applicant.cohort_id == cohort_id))
        }
        counts = {"imported": 0, "unchanged": 0, "rejected": 0}
        for row in frame.itertuples(index=False):
            try:
                email = validate_email(
                    row.email, check_deliverability=False, allow_smtputf8=False
                ).normalized
            except EmailNotValidError:
                counts["rejected"] += 1
                continue
            values = {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "email": email,
                "track_code": row.track,
                "stage": row.stage,
                "stage_date": datetime.strptime(row.stage_date, "%d-%m-%Y").date(),
                "years_experience": int(row.years_experience),
                "capacity_score": float(row.capacity_score.replace(",", ".")),
                "source": row.source,
            }
            applicant = stored.get(row.applicant_ref)
            if applicant is None:
                applicant = Applicant(
                    cohort_id=cohort_id, applicant_ref=row.applicant_ref, **values
                )
                applicant.stage_history.append(
                    StageChange(stage=row.stage, entered_on=values["stage_date"])
                )
                session.add(applicant)
                counts["imported"] += 1
            else:
                for name, value in values.items():
                    setattr(applicant, name, value)
                counts["unchanged"] += 1
        session.commit()
    line = " ".join(f"{k}={v}" for k, v in counts.items())
else:
    from sqlalchemy.orm import Session
    from rvg.db import make_engine
    from rvg.imports.applicants import import_applicants
    engine = make_engine(url)
    at = datetime(2027, 4, 15, tzinfo=UTC)
    with Session(engine) as session:
        result = import_applicants(path, "2027", session=session, at=at)
        session.commit()
    line = result.tally.line()
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "line": line}))
"""


def write_export(path: Path, rows: int, seed: int = 2027) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for number in range(rows):
            email = f"kandidaat{number}@voorbeeld.nl" if number % 50 else f"kandidaat{number}@"
            writer.writerow(
                [
                    f"A{number:07d}",
                    rng.choice(["Renée", "Bas", "Zoë", "Joël", "Fleur"]),
                    rng.choice(["de Vries", "Smeets", "van den Broek", "Jansen"]),
                    email,
                    rng.choice(["ro", "vm"]),
                    rng.choice(STAGES),
                    f"{rng.randint(1, 28):02d}-03-2027",
                    str(rng.randint(0, 30)),
                    f"{rng.randint(1, 9)},{rng.randint(0, 9)}",
                    rng.choice(["LinkedIn", "website", "Indeed"]),
                ]
            )


class Figures(TypedDict):
    seconds: float
    peak_mb: float
    line: str


def measure(kind: str, path: Path, url: str, env: dict[str, str]) -> Figures:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, str(path), url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    figures: Figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from sqlalchemy.orm import Session

    from rvg.db import make_engine
    from rvg.migrate import upgrade
    from rvg.programme import create_cohort

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        export = work / "export.csv"
        write_export(export, args.rows)
        url = args.database_url or f"sqlite:///{work / 'rvg.sqlite'}"
        engine = make_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            config = ROOT / "config"
            cohort_file = config / "cohorts" / "2027.yaml"
            # loaded as of the day before its business case, as a region would have
            create_cohort("2027", cohort_file, config, session=session, as_of=date(2026, 6, 1))
            session.commit()
        env = {**os.environ, "RVG_DATA_DIR": str(work / "data"), "PYTHONPATH": str(ROOT)}
        results = {"read + check only": measure("baseline", export, url, env)}
        results["plain pandas + ORM loop, fresh"] = measure("orm-loop", export, url, env)
        results["plain pandas + ORM loop, again"] = measure("orm-loop", export, url, env)
        forget_applicants(engine)
        results["import, fresh"] = measure("import", export, url, env)
        results["import, again (unchanged)"] = measure("import", export, url, env)
        engine.dispose()
    print(f"{args.rows:,} rows")
    print(f"{'measurement':<32} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'speed-up':>9}")
    for name, figures in results.items():
        seconds = figures["seconds"]
        against = {"import, fresh": "fresh", "import, again (unchanged)": "again"}.get(name)
        ratio = ""
        if against:
            loop = results[f"plain pandas + ORM loop, {against}"]["seconds"]
            ratio = f"{loop / seconds:.1f}x"
        print(
            f"{name:<32} {seconds:>8.1f} {args.rows / seconds:>9,.0f} "
            f"{figures['peak_mb']:>8.0f} {ratio:>9}  {figures['line']}"
        )


def forget_applicants(engine: Engine) -> None:
    """Remove what the plain loop wrote, so the import starts from the same empty cohort."""
    from sqlalchemy import delete

    from rvg.models import Applicant, StageChange

    with engine.begin() as connection:
        connection.execute(delete(StageChange))
        connection.execute(delete(Applicant))


if __name__ == "__main__":
    main()

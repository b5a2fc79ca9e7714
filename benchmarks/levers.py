"""Measure the levers of issue #7, one by one (the figures behind benchmarks/README.md).

    python benchmarks/levers.py [--runs N]

1. What `pdj --version`, `pdj --help` and `pdj describe` import, from `python -X importtime`
   (median over N runs of each module's cumulative time), and which heavy packages load.
2. boto3 vs botocore.session: import + create a personalize client, interleaved processes.
3. typer 0.29's pydantic coercion: a bare typer app's `--help` vs running one of its commands.
4. JSON with the standard library vs through rich, for a describe document.
5. One client per region: what each extra client costs.
6. The connection pool: 16 threads over botocore's default pool of 10 vs a pool of 16.
7. The cyclic garbage collector during start-up: paused (as pdj does) or not, whole process.
8. botocore's model loader vs pdj's ServiceModelLoader: per client, and whole process.
Standard library + the installed pdj only; the emulator runs in this process.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BASELINES, BENCH_GROUP, Env, done_jobs, sibling_script, timed

from pdj_cli.emulator import Emulator, Scenario

HEAVY = [
    "typer",
    "typer._adapters",
    "pydantic",
    "rich.console",
    "rich.live",
    "rich.table",
    "botocore",
    "botocore.session",
    "botocore.client",
    "botocore.config",
    "urllib3",
    "boto3",
    "jmespath",
    "concurrent.futures",
    "logging",
    "certifi",
]
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def importtime(argv: list[str], env: dict[str, str], runs: int) -> dict[str, tuple[int, int, int]]:
    """module -> (median self us, median cumulative us, depth) over `runs` processes."""
    selfs: dict[str, list[int]] = defaultdict(list)
    cumulative: dict[str, list[int]] = defaultdict(list)
    depth: dict[str, int] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *argv], env=env, capture_output=True, text=True
        )
        for match in LINE.finditer(done.stderr):
            own, total, indent, name = match.groups()
            selfs[name].append(int(own))
            cumulative[name].append(int(total))
            depth.setdefault(name, len(indent) // 2)
    return {
        name: (
            int(statistics.median(selfs[name])),
            int(statistics.median(cumulative[name])),
            depth[name],
        )
        for name in selfs
    }


def show_importtime(title: str, table: dict[str, tuple[int, int, int]]) -> None:
    total = sum(own for own, _, _ in table.values())
    print(f"\n{title}: {len(table)} modules, {total / 1000:.0f} ms of imports in all")
    top = sorted(
        (
            (cum, name, depth)
            for name, (_, cum, depth) in table.items()
            if depth <= 1 or name.startswith("pdj_cli") or name in HEAVY
        ),
        reverse=True,
    )
    for cum, name, depth in top[:24]:
        print(f"  {cum / 1000:7.1f} ms  {'  ' * depth}{name}")
    loaded = [name for name in HEAVY if name in table]
    print("  loaded: " + (", ".join(loaded) or "none of " + ", ".join(HEAVY)))


def medians(runs: int, commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, float]:
    times: dict[str, list[float]] = defaultdict(list)
    for argv in commands.values():  # warm up
        timed(argv, env)
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv, env))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sections", help="comma-separated section numbers (default: all)")
    args = parser.parse_args()
    runs = args.runs
    chosen = {int(n) for n in args.sections.split(",")} if args.sections else set()

    def want(section: int) -> bool:
        return not chosen or section in chosen

    pdj = sibling_script("pdj")
    assert pdj, "pdj is not installed"
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="pdj-levers-") as tmp:
        jobs = done_jobs(1000, BENCH_GROUP, "bench")
        arn = jobs[0].arn
        arn_file = Path(tmp) / "arns.txt"
        arn_file.write_text("".join(job.arn + "\n" for job in jobs))
        with Emulator(Scenario(jobs)) as emu:
            env = Env(Path(tmp)).for_endpoint(emu.endpoint_url)
            url = emu.endpoint_url
            describe = ["describe", arn, "-o", "json"]

            if want(1):
                print("== 1. importtime (median cumulative per module) ==")
                for title, argv in (
                    ("pdj --version", [pdj, "--version"]),
                    ("pdj --help", [pdj, "--help"]),
                    ("pdj describe ARN -o json", [pdj, "describe", arn, "-o", "json"]),
                    ("bare_describe.py", [str(BASELINES / "bare_describe.py"), arn]),
                    ("bare_typer_app.py --help", [str(BASELINES / "bare_typer_app.py"), "--help"]),
                ):
                    show_importtime(title, importtime(argv, env, max(3, runs // 2)))

            if want(2):
                print("\n== 2. boto3 vs botocore.session (import + client, whole process) ==")
                client_args = f"'personalize', region_name='us-east-1', endpoint_url='{url}'"
                result = medians(
                    runs,
                    {
                        "python -c pass": [py, "-c", "pass"],
                        "import botocore.session": [py, "-c", "import botocore.session"],
                        "import boto3": [py, "-c", "import boto3"],
                        "botocore.session client": [
                            py,
                            "-c",
                            "import botocore.session; "
                            f"botocore.session.Session().create_client({client_args})",
                        ],
                        "boto3 client": [py, "-c", f"import boto3; boto3.client({client_args})"],
                    },
                    env,
                )
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name}")

            if want(3):
                print("\n== 3. typer 0.29: pydantic runtime coercion when a command runs ==")
                app = str(BASELINES / "bare_typer_app.py")
                result = medians(
                    runs,
                    {
                        "import typer": [py, "-c", "import typer"],
                        "import typer, typer._adapters (pydantic)": [
                            py,
                            "-c",
                            "import typer, typer._adapters",
                        ],
                        "bare typer app --help": [py, app, "--help"],
                        "bare typer app describe X (one str argument)": [py, app, "describe", "X"],
                    },
                    env,
                )
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name}")

            if want(4):
                print("\n== 4. JSON: standard library vs rich (in process) ==")
                document = {
                    "dataDeletionJob": {
                        k: str(v)
                        for k, v in {
                            "jobName": "x" * 20,
                            "dataDeletionJobArn": arn,
                            "datasetGroupArn": BENCH_GROUP,
                            "status": "COMPLETED",
                            "numDeleted": 12,
                            "roleArn": "arn:aws:iam::1:role/R",
                            "creationDateTime": "2026-05-31T16:08:37.123000+00:00",
                        }.items()
                    }
                }
                result = medians(
                    runs,
                    {
                        "import json": [py, "-c", "import json"],
                        "import rich.console": [py, "-c", "import rich.console"],
                    },
                    env,
                )
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name} (whole process)")
                import io
                import json

                from rich.console import Console

                started = time.perf_counter()
                for _ in range(200):
                    json.dumps(document, indent=4)
                stdlib = (time.perf_counter() - started) / 200
                console = Console(file=io.StringIO(), force_terminal=False)
                started = time.perf_counter()
                for _ in range(20):
                    console.print_json(json.dumps(document))
                rich_time = (time.perf_counter() - started) / 20
                print(f"  {stdlib * 1e6:7.1f} us  json.dumps(indent=4) per document")
                print(f"  {rich_time * 1e6:7.1f} us  rich Console.print_json per document")

            if want(5):
                print("\n== 5. one client per region (in process) ==")
                import botocore.session

                session = botocore.session.Session()
                for label in ("first client", "second client, same session", "third client"):
                    print(f"  {client_seconds(session, url) * 1000:7.1f} ms  {label}")

            if want(6):
                print("\n== 6. connection pool: 16 threads, 1000 describes, 20 ms latency ==")
                emu.set_faults(latency=0.02)
                batch = str(BASELINES / "bare_batch.py")
                result = medians(
                    max(3, runs // 3),
                    {
                        "pool 10 (botocore's default)": [py, batch, str(arn_file), "16", "10"],
                        "pool 16 (sized to the concurrency)": [
                            py,
                            batch,
                            str(arn_file),
                            "16",
                            "16",
                        ],
                    },
                    env,
                )
                emu.set_faults(latency=0.0)
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name}")
                print(f"  floor: 1000/16 x 20 ms = {1000 / 16 * 20:.0f} ms + start-up")

            if want(7):
                print("\n== 7. the garbage collector during start-up (whole process) ==")
                result = medians(
                    runs,
                    {
                        "pdj describe (collector paused, frozen at exit)": [pdj, *describe],
                        "pdj describe, collector left on": pdj_variant(
                            "from pdj_cli import startup_gc; startup_gc.pause = lambda: False",
                            describe,
                        ),
                        "bare_describe.py": [py, str(BASELINES / "bare_describe.py"), arn],
                        "bare_describe.py, gc.disable() first": [
                            py,
                            "-c",
                            "import gc, runpy, sys; gc.disable(); sys.argv[1:] = [sys.argv[-1]]; "
                            f"runpy.run_path({str(BASELINES / 'bare_describe.py')!r}, "
                            "run_name='__main__')",
                            arn,
                        ],
                    },
                    env,
                )
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name}")

            if want(8):
                print("\n== 8. botocore's model loader vs ServiceModelLoader ==")
                import botocore.session
                from botocore.loaders import create_loader as botocore_loader

                from pdj_cli.model_loader import create_loader as pdj_loader

                per_client: dict[str, list[float]] = defaultdict(list)
                for _ in range(runs * 2):
                    for name, make_loader in (("botocore", botocore_loader), ("pdj", pdj_loader)):
                        session = botocore.session.Session()
                        session.register_component("data_loader", make_loader(None))
                        per_client[name].append(client_seconds(session, url))
                for name, values in per_client.items():
                    print(
                        f"  {statistics.median(values) * 1000:7.1f} ms  first client, {name} loader"
                    )
                result = medians(
                    runs,
                    {
                        "pdj describe (ServiceModelLoader)": [pdj, *describe],
                        "pdj describe with botocore's loader": pdj_variant(
                            # Paused first, as pdj's main() would: botocore loads here.
                            "from pdj_cli import startup_gc; startup_gc.pause(); "
                            "import botocore.loaders, pdj_cli.model_loader as m; "
                            "m.create_loader = botocore.loaders.create_loader",
                            describe,
                        ),
                    },
                    env,
                )
                for name, value in result.items():
                    print(f"  {value * 1000:7.1f} ms  {name} (whole process)")


def client_seconds(session: Any, url: str) -> float:
    """How long `session` takes to make a personalize client for the emulator at `url`."""
    started = time.perf_counter()
    session.create_client(
        "personalize",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    return time.perf_counter() - started


def pdj_variant(patch: str, args: list[str]) -> list[str]:
    """pdj's console script with one lever undone by `patch`, run before pdj's main()."""
    code = f"import sys; {patch}; from pdj_cli.entry import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, *args]


if __name__ == "__main__":
    main()

"""pdj's benchmark (issue #7): start-up, batch, --wait requests, memory. One command:

    python benchmarks/run.py            # the full run (~10 minutes on 2 CPUs, half of it the
                                        # 100,000-ARN memory run)
    python benchmarks/run.py --quick    # fewer repetitions, 20,000 ARNs (~2-3 minutes)
    python benchmarks/run.py --only describe-floor,batch

Needs only the standard library, the installed pdj (and so botocore, typer, rich) and, for the
AWS CLI row, `aws` (skipped with a note when missing). It starts pdj's emulator in this process
and runs every compared pair interleaved (A B A B ...), reporting medians and the ratio. Whole
processes are timed with time.perf_counter around subprocess.run; peak RSS is read with
getrusage(RUSAGE_CHILDREN) inside a fresh wrapper process per measurement; request counts come
from the emulator's request log. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdj_cli.emulator import Emulator, Scenario, ScenarioJob, generate_jobs

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def group_arn(name: str) -> str:
    return f"arn:aws:personalize:{REGION}:{ACCOUNT}:dataset-group/{name}"


BENCH_GROUP = group_arn("bench")
WAIT_GROUP = group_arn("bench-wait")
RSS_GROUP = group_arn("bench-rss")


# -- the emulator ------------------------------------------------------------------------------


def done_jobs(count: int, group: str, prefix: str) -> list[ScenarioJob]:
    """`count` jobs already COMPLETED (finished before the emulator started)."""
    return generate_jobs(
        count,
        group,
        name_prefix=prefix,
        created_at=-3600,
        created_step=0.001,
        finish_from=-60,
        finish_until=-1,
    )


# -- processes ---------------------------------------------------------------------------------


def sibling_script(name: str) -> str | None:
    """The console script installed beside this Python (not a pyenv shim), else PATH's."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found and "/shims/" in found:
        # A pyenv shim adds ~50-100 ms of bash to every run; ask pyenv for the real script.
        try:
            real = subprocess.run(["pyenv", "which", name], capture_output=True, text=True)
            if real.returncode == 0 and real.stdout.strip():
                return real.stdout.strip()
        except OSError:
            pass
    return found


class Env:
    """Child environments isolated from the caller's AWS configuration."""

    def __init__(self, workdir: Path) -> None:
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "PDJ_")) and key not in ("PYTHONDONTWRITEBYTECODE",)
        }
        base.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_CONFIG_FILE=str(workdir / "no-such-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-such-credentials"),
            AWS_EC2_METADATA_DISABLED="true",
            AWS_DEFAULT_REGION=REGION,  # the AWS CLI needs one; pdj takes the ARN's
            AWS_PAGER="",
            # Bytecode cached as an installed package has it (pip compiles at install), but in a
            # private prefix so the source tree is not written. PYTHONDONTWRITEBYTECODE would
            # make every run recompile pdj's sources (~40 ms).
            PYTHONPYCACHEPREFIX=str(workdir / "pycache"),
        )
        self.base = base

    def for_endpoint(self, url: str) -> dict[str, str]:
        return {**self.base, "AWS_ENDPOINT_URL_PERSONALIZE": url}


def timed(argv: Sequence[str], env: dict[str, str], stdin_path: str | None = None) -> float:
    """Seconds the whole process took; raises if it failed."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, stdin=stdin, capture_output=True)
        seconds = time.perf_counter() - started
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv[:4])}... exited {done.returncode}: {done.stderr.decode()[-400:]}"
        )
    return seconds


RSS_WRAPPER = """
import resource, subprocess, sys
stdin = open(sys.argv[1], "rb") if sys.argv[1] != "-" else subprocess.DEVNULL
done = subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL,
                      stderr=subprocess.PIPE)
if done.returncode != 0:
    sys.stderr.write(done.stderr.decode()[-400:])
    sys.exit(done.returncode)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024)
"""


def peak_rss_mb(argv: Sequence[str], env: dict[str, str], stdin_path: str | None) -> float:
    """Peak RSS of one process, in MiB, measured by a fresh wrapper (RUSAGE_CHILDREN)."""
    done = subprocess.run(
        [sys.executable, "-c", RSS_WRAPPER, stdin_path or "-", *argv],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}... exited {done.returncode}: {done.stderr}")
    return float(done.stdout.strip())


def interleaved(
    runs: int, a: Callable[[], float], b: Callable[[], float], warmup: int = 1
) -> tuple[list[float], list[float]]:
    """A B A B ...; the pair's order flips every round so neither always goes first."""
    for _ in range(warmup):
        a(), b()
    xs: list[float] = []
    ys: list[float] = []
    for index in range(runs):
        if index % 2 == 0:
            xs.append(a())
            ys.append(b())
        else:
            ys.append(b())
            xs.append(a())
    return xs, ys


# -- results -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    what: str
    baseline: str
    target: str
    measured: str = ""
    compared: str = ""
    ratio: str = ""
    result: str = "SKIP"
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    low = ordered[len(ordered) // 4]
    high = ordered[(3 * len(ordered)) // 4]
    return f"IQR {low * 1000:.0f}-{high * 1000:.0f} ms, n={len(values)}"


def ratio_row(row: Row, xs: list[float], ys: list[float], limit: float) -> Row:
    ratio = statistics.median(xs) / statistics.median(ys)
    # Also the median of per-pair ratios: robust to a slow stretch that hits both of a pair.
    pair = statistics.median(x / y for x, y in zip(xs, ys, strict=True))
    row.measured, row.compared = ms(xs), ms(ys)
    row.ratio = f"{ratio:.2f}x"
    row.result = "PASS" if ratio <= limit else "FAIL"
    row.notes.append(f"pdj {spread(xs)}; baseline {spread(ys)}; median pair ratio {pair:.2f}x")
    row.data.update(pdj=xs, baseline=ys, ratio=ratio, pair_ratio=pair)
    return row


# -- the rows ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, quick: bool, runs: int | None, workdir: Path) -> None:
        self.quick = quick
        self.startup_runs = runs or (7 if quick else 21)
        self.batch_runs = max(3, (runs or 0) // 3) if runs else (3 if quick else 9)
        self.wait_runs = 1 if quick else 3
        # The 100,000-ARN run is ~4-6 minutes of CPU (botocore spends ~2 ms per call here), so
        # it runs once; --quick scales the pair down to 20,000 vs 2,000.
        self.rss_sizes = (2_000, 20_000) if quick else (10_000, 100_000)
        self.workdir = workdir
        self.env = Env(workdir)
        self.pdj = sibling_script("pdj")
        self.aws = sibling_script("aws")
        if self.pdj is None:
            sys.exit("benchmarks: no `pdj` script beside this Python; run `pip install -e .`")
        self.bench_jobs = done_jobs(1000, BENCH_GROUP, "bench")
        self.arn = self.bench_jobs[0].arn
        self.arn_file = workdir / "arns-1000.txt"
        self.arn_file.write_text("".join(job.arn + "\n" for job in self.bench_jobs))
        self.emulator = Emulator(Scenario(self.bench_jobs)).start()
        self.url_env = self.env.for_endpoint(self.emulator.endpoint_url)

    def close(self) -> None:
        self.emulator.stop()

    def run_pdj(self, *args: str, stdin: str | None = None) -> Callable[[], float]:
        return lambda: timed([self.pdj, *args], self.url_env, stdin)  # type: ignore[list-item]

    def run_py(self, script: str, *args: str) -> Callable[[], float]:
        return lambda: timed([sys.executable, str(BASELINES / script), *args], self.url_env)

    # rows ---------------------------------------------------------------------------------

    def describe_vs_aws(self) -> Row:
        row = Row(
            "describe-aws",
            "pdj describe ARN -o json",
            "aws personalize describe-data-deletion-job",
            "<= 0.6x",
        )
        if self.aws is None:
            row.notes.append("skipped: no `aws` on this machine (pip install awscli)")
            return row
        aws = [
            self.aws,
            "personalize",
            "describe-data-deletion-job",
            "--data-deletion-job-arn",
            self.arn,
            "--output",
            "json",
        ]
        version = subprocess.run(
            [self.aws, "--version"], capture_output=True, text=True, env=self.url_env
        )
        row.notes.append(f"AWS CLI: {(version.stdout or version.stderr).strip()}")
        xs, ys = interleaved(
            self.startup_runs,
            self.run_pdj("describe", self.arn, "-o", "json"),
            lambda: timed(aws, self.url_env),
        )
        return ratio_row(row, xs, ys, 0.6)

    def describe_vs_floor(self) -> Row:
        row = Row(
            "describe-floor",
            "pdj describe ARN -o json",
            "baselines/bare_describe.py (botocore, 1 call)",
            "<= 1.2x",
        )
        xs, ys = interleaved(
            self.startup_runs,
            self.run_pdj("describe", self.arn, "-o", "json"),
            self.run_py("bare_describe.py", self.arn),
        )
        return ratio_row(row, xs, ys, 1.2)

    def help(self) -> Row:
        row = Row("help", "pdj --help", "baselines/bare_typer_app.py --help", "<= 1.1x")
        xs, ys = interleaved(
            self.startup_runs, self.run_pdj("--help"), self.run_py("bare_typer_app.py", "--help")
        )
        return ratio_row(row, xs, ys, 1.1)

    def version(self) -> Row:
        row = Row("version", "pdj --version", "baselines/bare_typer_app.py --help", "<= 1.1x")
        xs, ys = interleaved(
            self.startup_runs,
            self.run_pdj("--version"),
            self.run_py("bare_typer_app.py", "--help"),
        )
        return ratio_row(row, xs, ys, 1.1)

    def batch(self) -> Row:
        row = Row(
            "batch",
            "pdj batch -f 1000 ARNs -c 16 -o json (20 ms latency)",
            "baselines/bare_batch.py (ThreadPoolExecutor(16) + botocore)",
            "<= 1.2x",
        )
        self.emulator.set_faults(latency=0.02)
        self.emulator.clear_requests()
        try:
            xs, ys = interleaved(
                self.batch_runs,
                self.run_pdj(
                    "batch", "-f", str(self.arn_file), "--concurrency", "16", "-o", "json"
                ),
                self.run_py("bare_batch.py", str(self.arn_file), "16"),
            )
        finally:
            self.emulator.set_faults(latency=0.0)
        runs = 2 * (self.batch_runs + 1)
        per_run = self.emulator.request_count() / runs
        row.notes.append(f"{per_run:.0f} requests per run on average (1000 expected)")
        floor = 1000 / 16 * 0.02
        row.notes.append(f"latency floor 1000/16 x 20 ms = {floor * 1000:.0f} ms")
        return ratio_row(row, xs, ys, 1.2)

    def wait(self) -> Row:
        count, interval = 300, 0.5
        row = Row(
            "wait",
            f"pdj batch --dataset-group-arn DG --wait, {count} jobs (requests)",
            "one describe per pending job per poll",
            f"<= 1.2x{count} + list pages/poll",
        )
        totals: list[tuple[int, int, int, int, int]] = []
        for _ in range(self.wait_runs):
            jobs = generate_jobs(
                count,
                WAIT_GROUP,
                name_prefix="wait",
                created_at=-600,
                created_step=1,
                finish_from=1.0,
                finish_until=4.0,
            )
            finish = {job.arn: job.changes[-1].at + job.created_at for job in jobs}
            with Emulator(Scenario(jobs)) as emu:
                timed(
                    [
                        self.pdj,
                        "batch",
                        "--dataset-group-arn",
                        WAIT_GROUP,
                        "--wait",
                        "--interval",
                        str(interval),
                        "-o",
                        "jsonl",
                    ],
                    self.env.for_endpoint(emu.endpoint_url),
                )
                log = emu.requests
            describes = sum(1 for e in log if e["operation"] == "DescribeDataDeletionJob")
            lists = [e for e in log if e["operation"] == "ListDataDeletionJobs"]
            starts = [e["elapsed"] for e in lists if not (e["params"] or {}).get("nextToken")]
            polls = _poll_moments(log, starts, interval)
            naive = count + sum(sum(1 for at in finish.values() if at > moment) for moment in polls)
            totals.append((describes + len(lists), describes, len(lists), len(polls), naive))
        total, describes, lists, polls, naive = (
            int(statistics.median(values)) for values in zip(*totals, strict=True)
        )
        pages = math.ceil(count / 100)
        allowed = 1.2 * count + pages * (polls + 1)  # +1: the listing that finds the jobs
        row.measured = f"{total} req"
        row.compared = f"{naive} req"
        row.ratio = f"{total / allowed:.2f}x of target"
        row.result = "PASS" if total <= allowed else "FAIL"
        row.notes.append(
            f"{describes} describes + {lists} list pages over {polls} polls; target "
            f"1.2x{count} + {pages} pages x ({polls} polls + the first listing) = {allowed:.0f}; "
            f"naive (first pass + a describe per pending job per poll) = {naive}; "
            f"interval {interval}s, jobs finishing 1-4 s after start"
        )
        row.data.update(runs=totals, allowed=allowed)
        return row

    def rss(self) -> Row:
        small, large = self.rss_sizes
        row = Row(
            "rss",
            f"pdj batch - -o jsonl, {large:,} ARNs (peak RSS)",
            f"the same with {small:,}",
            "within 10%, < 150 MB",
        )
        jobs = done_jobs(large, RSS_GROUP, "rss")
        paths = {}
        for size in (small, large):
            path = self.workdir / f"arns-{size}.txt"
            path.write_text("".join(job.arn + "\n" for job in jobs[:size]))
            paths[size] = str(path)
        argv = [self.pdj, "batch", "-", "-o", "jsonl"]
        with Emulator(Scenario(jobs)) as emu:
            env = self.env.for_endpoint(emu.endpoint_url)
            started = time.perf_counter()
            big: list[float] = []
            little: list[float] = []
            little.append(peak_rss_mb(argv, env, paths[small]))
            emu.clear_requests()  # the emulator's log is this process's memory, not pdj's
            big.append(peak_rss_mb(argv, env, paths[large]))
            emu.clear_requests()
            seconds = time.perf_counter() - started
        del jobs
        high, low = statistics.median(big), statistics.median(little)
        growth = high / low - 1
        row.measured, row.compared = f"{high:.1f} MB", f"{low:.1f} MB"
        row.ratio = f"{high / low:.2f}x"
        row.result = "PASS" if growth <= 0.10 and high < 150 else "FAIL"
        row.notes.append(
            f"{seconds:.0f} s for both runs"
            + (
                "; --quick measures 20,000 vs 2,000, the default run 100,000 vs 10,000"
                if self.quick
                else ""
            )
        )
        row.data.update(large=big, small=little)
        return row

    def watch_memory(self) -> Row:
        polls, early = 10_000, 100
        row = Row(
            "watch-memory",
            f"poll_until_done, {polls:,} polls (fake clock)",
            f"its first {early} polls",
            "no growth",
        )
        growth, at_early, at_end, peak = watch_memory(polls, early)
        row.measured = f"{at_end / 1024:.1f} KiB"
        row.compared = f"{at_early / 1024:.1f} KiB"
        row.ratio = f"+{growth} B"
        # "No growth": less than one byte per poll, i.e. nothing kept per poll.
        row.result = "PASS" if growth < polls - early else "FAIL"
        row.notes.append(
            f"tracemalloc: {at_early} B after poll {early}, {at_end} B after poll {polls}, "
            f"peak {peak} B; fetch builds a DeletionJob from a fresh API dict every poll"
        )
        return row


def _poll_moments(
    log: list[dict[str, Any]], list_starts: list[float], interval: float
) -> list[float]:
    """When each --wait poll happened (emulated seconds), after the first pass.

    A poll that sweeps the group starts with a first-page list request; the first such
    request is the listing that found the jobs. Without sweeps, polls are bursts of describes.
    """
    if len(list_starts) > 1:
        return list_starts[1:]
    times = sorted(e["elapsed"] for e in log if e["operation"] == "DescribeDataDeletionJob")
    bursts: list[float] = []
    for moment in times:
        if not bursts or moment - bursts[-1] > interval / 2:
            bursts.append(moment)
    return bursts[1:]  # the first burst is the first pass


def watch_memory(polls: int, early: int) -> tuple[int, int, int, int]:
    """Traced memory after `early` polls and after `polls`, with a fake clock; (growth, ...)."""
    from pdj_cli.models import DeletionJob
    from pdj_cli.poller import Observed, TransientFailure, poll_until_done

    arn = f"arn:aws:personalize:{REGION}:{ACCOUNT}:data-deletion-job/watched"
    now = [0.0]
    fetched = [0]

    def clock() -> float:
        return now[0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    def fetch() -> DeletionJob:
        fetched[0] += 1
        status = "COMPLETED" if fetched[0] >= polls else "IN_PROGRESS"
        return DeletionJob.from_api(
            {
                "jobName": "watched",
                "dataDeletionJobArn": arn,
                "datasetGroupArn": BENCH_GROUP,
                "dataSource": {"dataLocation": "s3://bucket/watched.csv"},
                "roleArn": f"arn:aws:iam::{ACCOUNT}:role/R",
                "status": status,
                "creationDateTime": None,
                "lastUpdatedDateTime": None,
            }
        )

    tracemalloc.start()
    at_early = at_end = 0
    seen = 0
    events = poll_until_done(
        fetch,
        lambda job: job.is_terminal,
        interval=15.0,
        key=lambda job: job.status,
        sleep=sleep,
        clock=clock,
    )
    for event in events:
        assert isinstance(event, (Observed, TransientFailure))
        seen += 1
        if seen == early:
            at_early = tracemalloc.get_traced_memory()[0]
        elif seen == polls - 1:
            at_end = tracemalloc.get_traced_memory()[0]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seen == polls, seen
    return at_end - at_early, at_early, at_end, peak


# -- main --------------------------------------------------------------------------------------

ROW_NAMES = [
    "describe-aws",
    "describe-floor",
    "help",
    "version",
    "batch",
    "wait",
    "rss",
    "watch-memory",
]


def machine_line() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("pdj", "botocore", "typer", "rich"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:
            pass
    return (
        f"{platform.platform()}; {model}; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


def print_table(rows: list[Row]) -> None:
    headers = ["row", "pdj", "compared with", "ratio", "target", "result"]
    cells = [
        [r.name, r.measured or "-", r.compared or "-", r.ratio or "-", r.target, r.result]
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    print(line)
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for c in cells:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)) + " |")
    print()
    for r in rows:
        print(f"{r.name}: {r.what}  vs  {r.baseline}")
        for note in r.notes:
            print(f"    {note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (~2 minutes)")
    parser.add_argument("--runs", type=int, help="pairs per start-up row (default 21, quick 7)")
    parser.add_argument("--only", help="comma-separated rows: " + ",".join(ROW_NAMES))
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    options = parser.parse_args(argv)
    names = options.only.split(",") if options.only else ROW_NAMES
    unknown = set(names) - set(ROW_NAMES)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")

    machine = machine_line()
    print(f"machine: {machine}", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="pdj-bench-") as tmp:
        bench = Bench(options.quick, options.runs, Path(tmp))
        try:
            for name in names:
                method = getattr(bench, name.replace("-", "_").replace("describe_", "describe_vs_"))
                row_started = time.perf_counter()
                try:
                    row = method()
                except Exception as error:  # a command that fails: say so, measure the rest
                    row = Row(name, name, "", "", result="ERROR")
                    row.notes.append(f"{type(error).__name__}: {error}")
                row.notes.append(f"row took {time.perf_counter() - row_started:.0f} s")
                print(
                    f"  {name}: {row.result} {row.ratio} "
                    f"({time.perf_counter() - row_started:.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
                rows.append(row)
        finally:
            bench.close()
    print()
    print_table(rows)
    print(f"\nmachine: {machine}")
    print(f"total {time.perf_counter() - started:.0f} s{' (--quick)' if options.quick else ''}")
    if options.json:
        Path(options.json).write_text(
            json.dumps(
                {"machine": machine, "quick": options.quick, "rows": [r.__dict__ for r in rows]},
                indent=2,
                default=str,
            )
        )
    return 1 if any(r.result in ("FAIL", "ERROR") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The floor for `pdj batch -f FILE --concurrency N -o json`: ThreadPoolExecutor(N) + botocore.

One botocore client (region of the first ARN) with a pool of N connections shared by N
threads, one describe per unique ARN, printed as {"dataDeletionJobs": [...]} in input order.
Usage: bare_batch.py FILE [N [POOL]] (POOL: the connection pool size, default N; the levers
script runs it with botocore's default of 10 to show what an undersized pool costs)
"""

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import botocore.session
from botocore.config import Config


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        arns = list(dict.fromkeys(line.strip() for line in handle if line.strip()))
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    pool_size = int(sys.argv[3]) if len(sys.argv) > 3 else workers
    client = botocore.session.get_session().create_client(
        "personalize",
        region_name=arns[0].split(":")[3],
        config=Config(max_pool_connections=pool_size),
    )

    def describe(arn: str) -> dict:
        return client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]

    with ThreadPoolExecutor(workers) as pool:
        jobs = list(pool.map(describe, arns))
    sys.stdout.write(json.dumps({"dataDeletionJobs": jobs}, indent=4, default=_iso) + "\n")


def _iso(value: object) -> str:
    return value.isoformat()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

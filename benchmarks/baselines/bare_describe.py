"""The floor for `pdj describe ARN -o json`: import botocore, create the client, one call, print.

No CLI framework, no error handling, no retry tuning: what any tool doing the same call must pay.
The region comes from the ARN, the endpoint from AWS_ENDPOINT_URL_PERSONALIZE (read by botocore).
"""

import json
import sys

import botocore.session


def main() -> None:
    arn = sys.argv[1]
    client = botocore.session.get_session().create_client(
        "personalize", region_name=arn.split(":")[3]
    )
    response = client.describe_data_deletion_job(dataDeletionJobArn=arn)
    job = response["dataDeletionJob"]
    sys.stdout.write(json.dumps({"dataDeletionJob": job}, indent=4, default=_iso) + "\n")


def _iso(value: object) -> str:
    return value.isoformat()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

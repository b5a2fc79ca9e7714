"""JSON text as the AWS CLI prints it, for documents and for table cells alike."""

from __future__ import annotations

import json
from typing import Any


def to_json(document: Any, *, compact: bool = False) -> str:
    """JSON as `aws` prints it: 4-space indent, non-ASCII kept; jsonl is one compact line."""
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(document, indent=4, ensure_ascii=False)

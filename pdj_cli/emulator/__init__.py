"""A local Amazon Personalize endpoint for data deletion jobs, speaking the real wire protocol.

Standard library only, so importing it stays cheap and needs no AWS SDK.
"""

from .clock import ManualClock
from .faults import FaultConfig
from .scenario import (
    BIG_GROUP_ARN,
    DEMO_FAILING_JOB_ARN,
    DEMO_GROUP_ARN,
    DEMO_JOB_ARN,
    FRESH_EU_GROUP_ARN,
    FRESH_GROUP_ARN,
    MEDIA_GROUP_ARN,
    RETAIL_GROUP_ARN,
    UNREADABLE_LOCATION,
    CreateSettings,
    Scenario,
    ScenarioError,
    ScenarioJob,
    StatusChange,
    generate_jobs,
    load_scenario,
    sample_scenario,
)
from .server import Emulator

__all__ = [
    "BIG_GROUP_ARN",
    "DEMO_FAILING_JOB_ARN",
    "DEMO_GROUP_ARN",
    "DEMO_JOB_ARN",
    "FRESH_EU_GROUP_ARN",
    "FRESH_GROUP_ARN",
    "MEDIA_GROUP_ARN",
    "RETAIL_GROUP_ARN",
    "UNREADABLE_LOCATION",
    "CreateSettings",
    "Emulator",
    "FaultConfig",
    "ManualClock",
    "Scenario",
    "ScenarioError",
    "ScenarioJob",
    "StatusChange",
    "generate_jobs",
    "load_scenario",
    "sample_scenario",
]

"""pdj: inspect and watch Amazon Personalize data deletion jobs."""

__version__ = "0.1.0"

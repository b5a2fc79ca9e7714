"""pdj in the systems around it: GitHub Actions step summaries and annotations, JUnit XML.

- settings: `--ci auto|github|none` and whether GitHub mode is on;
- github: workflow commands (`::error ...::`) escaped as GitHub's toolkit does, and the capped
  annotations of a run;
- summary: the Markdown step summary (ui/markdown's table), within GitHub's 1 MiB;
- junit: the JUnit XML report, written atomically;
- report: `CiReport`, the one observer `watch` and `following.follow` feed the final records
  and the outcome, which writes whatever is switched on.

typer-free and rich-free: the commands build a report from their options and hand it in.
"""

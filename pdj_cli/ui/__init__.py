"""pdj's one output layer: the terminal policy and Console factory, every format, every view.

Nothing is imported here: `import pdj_cli.ui` stays free of rich (it is loaded only when a table
or a live view is drawn), so the describe fast path and `pdj --help` pay nothing for it.
"""

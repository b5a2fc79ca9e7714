from pdj_cli.cli import main

raise SystemExit(main())

from pdj_cli.entry import main

raise SystemExit(main())

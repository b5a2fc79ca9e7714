from pdj_cli.fastpath import main

raise SystemExit(main())

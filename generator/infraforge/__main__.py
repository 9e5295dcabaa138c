from infraforge.cli import main

raise SystemExit(main())

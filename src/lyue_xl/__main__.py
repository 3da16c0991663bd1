from lyue_xl.cli import main

raise SystemExit(main())

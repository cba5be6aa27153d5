from memory.bench.cli import main

raise SystemExit(main())

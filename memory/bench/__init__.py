"""Benchmarks: `python -m memory.bench locomo|scale|ingest ...`. Results go to bench/RESULTS.md."""

"""Benchmarks: a generator of OSINT-like data and a runner that times every stage against baselines."""

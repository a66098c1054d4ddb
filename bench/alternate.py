#!/usr/bin/env python3
"""Alternated runs of several commands: wall and CPU time, minimum and median.

On a shared, noisy machine one binary's wall time moves by 15 % from run to run, and
the machine's speed drifts over minutes; running the variants in turn, many times,
compares them under the same conditions.

    bench/alternate.py RUNS DIR 'LABEL=ENV=VAL;ENV2=VAL|COMMAND' ...

DIR is removed before every run (the commands' fresh store). Example:

    bench/alternate.py 8 /tmp/vs-alt \
      'before=|/tmp/vigie-before --data /tmp/vs-alt ingest --json /tmp/devall' \
      'after=|target/release/vigie --data /tmp/vs-alt ingest --json /tmp/devall'
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs, fresh = int(sys.argv[1]), sys.argv[2]
    variants = []
    for spec in sys.argv[3:]:
        label, rest = spec.split("=", 1)
        env_part, command = rest.split("|", 1)
        env = dict(os.environ)
        for kv in filter(None, env_part.split(";")):
            key, value = kv.split("=", 1)
            env[key] = value
        variants.append((label, env, command))
    results = {label: [] for label, _, _ in variants}
    for _ in range(runs):
        for label, env, command in variants:
            shutil.rmtree(fresh, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, shell=True, env=env, stdout=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            results[label].append((wall, cpu))
    for label, samples in results.items():
        walls = [w for w, _ in samples]
        cpus = [c for _, c in samples]
        print(
            f"{label:>12}: wall min {min(walls):.3f} med {statistics.median(walls):.3f}  "
            f"cpu min {min(cpus):.3f} med {statistics.median(cpus):.3f}  ({len(samples)} runs)"
        )


if __name__ == "__main__":
    main()

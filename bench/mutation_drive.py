"""Run the mutants that `bench/mutation.sh PART` generated, of one module, against chosen test
files: each in a new pytest process (MUTANT_UNDER_TEST in its environment; the trampolines in
MUTDIR/mutants read it), two at a time. Faster than `mutmut run` where a module's covering tests
are slow, and fresh: no cache of the parent process (a parsed dictionary, a loaded model) is
inherited. Results go to OUT.json (killed / survived / timeout); keys already there are skipped.
  bench/mutation.sh documents NAME...   (once, to generate $MUTDIR/mutants; stop it when it runs)
  python bench/mutation_drive.py MUTDIR MODULE OUT.json [--all] [--timeout S] -- TEST FILES...
By default only mutants mutmut has not run (or found no test for)."""
import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

args = sys.argv[1:]
sep = args.index("--")
opts, tests = args[:sep], args[sep + 1:]
root, module, out = Path(opts[0]), opts[1], Path(opts[2])
every = "--all" in opts
timeout = float(opts[opts.index("--timeout") + 1]) if "--timeout" in opts else 120
meta = json.loads((root / "mutants" / (module.replace(".", "/") + ".py.meta")).read_text())["exit_code_by_key"]
done = json.loads(out.read_text()) if out.exists() else {}
keys = [k for k, v in meta.items() if k not in done and (every or v is None or v == 33)]
py = sys.executable
env = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run(key):
    t = time.time()
    try:
        r = subprocess.run(["nice", "-n", "15", py, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                           cwd=root / "mutants", env=dict(env, MUTANT_UNDER_TEST=key),
                           capture_output=True, text=True, timeout=timeout)
        res = "killed" if r.returncode else "survived"
        if r.returncode not in (0, 1):
            res = f"rc{r.returncode}"
    except subprocess.TimeoutExpired:
        res = "timeout"
    return key, res, round(time.time() - t, 1)


print(f"{len(keys)} mutants of {module}", flush=True)
with ThreadPoolExecutor(2) as pool:
    for key, res, secs in pool.map(run, keys):
        done[key] = res
        out.write_text(json.dumps(done, indent=0))
        if res != "killed":
            print(key.rsplit(".", 1)[1], res, secs, flush=True)
print(Counter(done[k] for k in done if k.startswith(module + ".")), flush=True)

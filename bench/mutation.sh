#!/usr/bin/env bash
# Mutation testing (mutmut) of one part of DeskSeek against only its own tests: each surviving
# mutant is a change of the code that no test notices. Results go to bench/RESULTS.md by hand,
# with what each survivor is.
#   bash bench/mutation.sh store|documents|prompting|token_estimate|stop_strings|reasoning|planning
#   MUTATION_RESUME=1 bash bench/mutation.sh store      go on after an interrupted run
#   MUTATION_RESUME=1 bash bench/mutation.sh reasoning NAME...   run these mutants again (new tests)
#   MUTATION_JOBS=n (default 2) test processes at once
#   bash bench/mutation.sh one app/documents/epub_text.py TEST_FILE...   one module against the
#     test files given (its own copy: /tmp/deskseek-mutation-epub_text); mutmut forks each
#     mutant's tests from a process that already ran them once, so a module whose tests take a
#     few seconds is done in a minute, but what that process cached (a parsed dictionary, a loaded
#     model) is never made by the mutated code: run those with bench/mutation_drive.py.
# bench/mutation_drive.py runs the generated mutants of one module against chosen test files instead.
# Runs in a scratch copy of the work tree (mutmut writes mutants/ and reads its settings from
# setup.cfg there); prints the per-mutant results and leaves the copy in $MUTATION_DIR (default
# /tmp/deskseek-mutation-<part>) for `mutmut show NAME`.
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:?"which part: store, documents, prompting, token_estimate, stop_strings, reasoning, planning, or one MODULE TEST_FILE..."}
shift
jobs=${MUTATION_JOBS:-2}
case "$part" in
  store)        mutate="app/store/*";              tests="tests/store" ;;
  documents)    mutate="app/documents/*";          tests="tests/documents" ;;
  prompting)    mutate="runtime/prompting.py";     tests="tests/runtime/test_prompting.py tests/runtime/test_engine_raw.py" ;;
  stop_strings) mutate="runtime/stop_strings.py";  tests="tests/runtime/test_stop_strings.py" ;;
  reasoning)    mutate="runtime/reasoning.py";     tests="tests/runtime/test_reasoning.py" ;;
  planning)     mutate="runtime/planning/*";       tests="tests/runtime/test_planner.py tests/runtime/test_planner_table.py tests/runtime/test_planner_context.py tests/runtime/test_planner_mmap.py tests/runtime/test_sentences.py tests/runtime/test_planner_summary.py tests/runtime/test_planner_override.py tests/runtime/test_planner_reasons.py tests/runtime/test_planner_context_figures.py tests/runtime/test_planner_edges.py tests/runtime/test_planner_bytes.py" ;;
  token_estimate) mutate="runtime/token_estimate.py"; tests="tests/runtime/test_token_estimate.py tests/runtime/test_prompting.py tests/store/test_passage_budget.py tests/store/test_excerpt.py tests/documents/test_chunk_tokens.py" ;;
  one)          mutate=${1:?"which module: a path such as app/documents/epub_text.py"}; shift
                tests="$*"; set --; part=$(basename "$mutate" .py)
                [ -n "$tests" ] || { echo "which test files" >&2; exit 2; } ;;
  *) echo "unknown part: $part" >&2; exit 2 ;;
esac
python=$PWD/.venv/bin/python
$python -c "import mutmut" 2>/dev/null || $python -m pip install -q -e ".[mutation]"

dir=${MUTATION_DIR:-/tmp/deskseek-mutation-$part}
# MUTATION_RESUME=1 keeps the mutants and results of an interrupted run (and takes the tests as
# they are now); otherwise every run starts afresh.
[ "${MUTATION_RESUME:-0}" = 1 ] || rm -rf "$dir"
mkdir -p "$dir"
# The work tree as git sees it (tracked and new files, nothing ignored): no venv, no caches.
git ls-files -z --cached --others --exclude-standard | tar --null -T - -c | tar -x -C "$dir"
cd "$dir"
# mutmut reads [tool.mutmut] from pyproject.toml, else [mutmut] from setup.cfg: one part per copy.
{
  echo "[mutmut]"
  echo "source_paths="; printf '    %s\n' app runtime resources
  echo "only_mutate=$mutate"
  echo "also_copy="; printf '    %s\n' bench packaging docs  # tests read bench/ scripts and packaging files
  echo "pytest_add_cli_args_test_selection="; for t in $tests; do printf '    %s\n' "$t"; done
  echo "pytest_add_cli_args="; printf '    %s\n' -p no:cacheprovider -q
} > setup.cfg
export QT_QPA_PLATFORM=offscreen
start=$(date +%s)
nice "$python" -m mutmut run --max-children "$jobs" "$@" > run.log 2>&1 || { tail -40 run.log; exit 1; }
echo "mutmut run: $(( $(date +%s) - start )) s for $part with $jobs jobs; results:"
"$python" -m mutmut results --all true > results.txt 2>&1 || true
# One line per status, then the survivors (and those no test reached) by name.
awk -F': ' '{print $2}' results.txt | sort | uniq -c
grep -E ': (survived|no tests|timeout|suspicious)$' results.txt || true

"""Every `curl` example of README.md and docs/api.md, run as written against a live server with
the sample data and the demo accounts: each command gets the status its `# → NNN` comment says."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from missions.demo import demo_accounts_ensure

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/api.md")
BLOCK = re.compile(r"```bash\n(.*?)```", re.DOTALL)
EXPECTED = re.compile(r"# → (\d{3})")

# `curl` shadowed by a function that runs the real one with its response headers dumped, and
# appends the status of each call to $STATUSES (a call inside `$(…)` too), so the example runs
# unchanged, output and pipes included.
RECORDING_CURL = """
curl() {
  local headers rc
  headers=$(mktemp)
  command curl -D "$headers" "$@"; rc=$?
  awk 'NR == 1 {print $2}' "$headers" >> "$STATUSES"
  rm -f "$headers"
  return $rc
}
"""


def _examples() -> list[tuple[str, str]]:
    """(document, shell block) for every bash block of the documents that calls curl."""
    return [
        (name, block)
        for name in DOCUMENTS
        for block in BLOCK.findall((ROOT / name).read_text(encoding="utf-8"))
        if "curl " in block
    ]


def test_the_documents_hold_curl_examples_each_with_its_expected_status():
    examples = _examples()
    assert {name for name, _block in examples} == set(DOCUMENTS)
    for name, block in examples:
        calls = len(re.findall(r"(?:^|\$\()curl ", block, re.MULTILINE))
        assert len(EXPECTED.findall(block)) == calls, name


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("document", "block"), _examples(), ids=lambda v: v[:12])
def test_every_curl_example_gets_its_documented_status(document, block, live_server, tmp_path):
    # given the sample data and the demo accounts, as `make run` has them
    call_command("load_sample_data", verbosity=0)
    demo_accounts_ensure()  # what `make run`'s ensure_demo_accounts does (DEBUG only)
    script = re.sub(r"^H=\S+", f"H={live_server.url}", block, count=1, flags=re.MULTILINE)
    assert script != block, "the example sets H= first"
    statuses = tmp_path / "statuses"
    # when the example runs as written (in a fresh directory, for its cookie jar)
    result = subprocess.run(
        ["bash", "-c", RECORDING_CURL + script],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "STATUSES": str(statuses)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then each call gets the status written beside it
    assert result.returncode == 0, result.stderr
    assert statuses.read_text().split() == EXPECTED.findall(block), result.stdout[-2000:]

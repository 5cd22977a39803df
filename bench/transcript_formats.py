"""Transcript exports through every path into extraction: what leaks, what is found.

    .venv/bin/python bench/transcript_formats.py [-v] [name ...]

For each sample in tests/data/formats (see manifest.json: who asks, the interviewer's lines, the
planted pains and workarounds), three paths:
  paste   extract(notes=the file's text)                       (notes pasted into the form, JSONL import)
  import  extract(notes=parse_transcript(path).rows[0].notes)  (manage.py import of a transcript file)
  upload  extract(notes=interviewee_notes(read_transcript(...), guess_interviewee(...)))  (the upload page)
and prints, per format and path, the interviewer lines leaked into a quote, the quotes holding a
speaker label / timestamp / cue number, and the planted pains found (workarounds likewise).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from insights.extraction import extract  # noqa: E402
from insights.extraction.pipeline import get_nlp  # noqa: E402
from interviews.importers import (  # noqa: E402
    guess_interviewee,
    interviewee_notes,
    parse_transcript,
    read_transcript,
)

DATA = ROOT / "tests" / "data" / "formats"
_MARKUP = re.compile(
    r"\d{1,2}:\d{2}|-->|WEBVTT|</?v\b|\[speaker|\*\*|Unknown Speaker|^\s*\d+\s*$|"
    r"\b(?:Interviewer|Interviewee|Participant|Caller|Agent|Assistant|User|AI|Me|Q|A|a|b)\s*:",
    re.M,
)


def leaked_asks(quote: str, asks: list[str]) -> list[str]:
    q = quote.lower()
    return [a for a in asks if a.lower() in q]


def leaked_labels(quote: str, names: list[str]) -> bool:
    # A full name ("Sofia Martins", "speaker_1") anywhere in a quote is a speaker label that leaked.
    full = [n for n in names if n and (" " in n or "_" in n)]
    return bool(_MARKUP.search(quote)) or any(n in quote for n in full)


def notes_for(path: Path, how: str) -> str:
    raw = path.read_bytes()
    if how == "paste":
        return raw.decode("utf-8-sig")
    if how == "import":
        return parse_transcript(path, raw).rows[0].notes
    t = read_transcript(path.name, raw)
    return interviewee_notes(t, guess_interviewee(t.speakers) or "")


def main() -> None:
    manifest = json.loads((DATA / "manifest.json").read_text())
    nlp = get_nlp()
    verbose = "-v" in sys.argv
    print(f"{'format':58} {'path':7} {'asks':>5} {'labels':>6} {'pains':>6} {'wkar':>5}  guess")
    totals = {}
    only = [a for a in sys.argv[1:] if not a.startswith("-")]
    for name, spec in manifest.items():
        if only and not any(o in name for o in only):
            continue
        path = DATA / name
        t = read_transcript(path.name, path.read_bytes())
        guess = guess_interviewee(t.speakers)
        for how in ("paste", "import", "upload"):
            notes = notes_for(path, how)
            ex = extract(answers={}, notes=notes, nlp=nlp)
            names = [spec.get("interviewer") or "", spec.get("interviewee") or ""]
            asks = sorted({a for m in ex.mentions for a in leaked_asks(m.quote, spec["asks"])})
            labels = [m.quote for m in ex.mentions if leaked_labels(m.quote, names)]
            pains = " || ".join(m.quote.lower() for m in ex.mentions if m.kind == "pain")
            works = " || ".join(m.quote.lower() for m in ex.mentions if m.kind == "workaround")
            found = [p for p in spec["pains"] if p.lower() in pains]
            wfound = [w for w in spec["workarounds"] if w.lower() in works]
            tot = totals.setdefault(how, [0, 0, 0, 0, 0, 0])
            for k, v in enumerate(
                (len(asks), len(labels), len(found), len(spec["pains"]), len(wfound), len(spec["workarounds"]))
            ):
                tot[k] += v
            print(
                f"{spec['format'][:58]:58} {how:7} {len(asks):>5} {len(labels):>6} "
                f"{len(found):>3}/{len(spec['pains']):<2} {len(wfound):>2}/{len(spec['workarounds']):<2}  "
                f"{guess if how == 'upload' else ''}"
            )
            if verbose:
                for a in asks:
                    print("      ASK LEAKED:", a)
                for q in labels:
                    print("      LABEL LEAKED:", q[:100])
                for p in set(spec["pains"]) - set(found):
                    print("      PAIN MISSED:", p)
                for m in ex.mentions:
                    print(f"        {m.kind:10} {m.quote[:110]!r}")
    for how, (a, lab, f, n, w, wn) in totals.items():
        print(f"TOTAL {how:7} asks leaked {a}, label quotes {lab}, pains {f}/{n}, workarounds {w}/{wn}")


if __name__ == "__main__":
    main()

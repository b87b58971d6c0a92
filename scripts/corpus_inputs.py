"""Print the corpus notices (every non-gold file under corpus/), one path per line."""

from pathlib import Path

SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}
root = Path(__file__).resolve().parent.parent / "corpus"
for path in sorted(root.rglob("*")):
    if path.suffix.lower() in SUFFIXES and "gold" not in path.parts and "bad" not in path.parts:
        print(path.relative_to(root.parent))

"""What the X-matrix's tests share: its PDF read back with pdfinfo and pdftotext, and drawn
as a PNG to look at."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).parents[1]
SMALL = REPO / "examples" / "small.yaml"
PICTURES = REPO / "build" / "documents"


def pdf_facts(path: Path) -> tuple[str, str, str]:
    """pdfinfo's answer, pdftotext -layout's, and the plain text with its whitespace as
    single spaces (a wrapped title reads whole)."""

    def run(*args: str | Path) -> str:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    plain = run("pdftotext", path, "-")
    return run("pdfinfo", path), run("pdftotext", "-layout", path, "-"), " ".join(plain.split())


def one_a3_landscape_page(info: str) -> bool:
    """Whether pdfinfo says one page, A3, wider than high."""
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts \(A3\)", info, re.M)
    pages = re.search(r"^Pages:\s+1$", info, re.M)
    return bool(size and pages and float(size[1]) > float(size[2]))


def picture(body: bytes, name: str) -> Path:
    """The page as a PNG at 60 dpi (build/documents/NAME-1.png), to look at."""
    PICTURES.mkdir(parents=True, exist_ok=True)
    pdf = PICTURES / f"{name}.pdf"
    pdf.write_bytes(body)
    subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, PICTURES / name], check=True)
    return PICTURES / f"{name}-1.png"

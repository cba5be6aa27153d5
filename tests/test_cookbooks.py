"""The cookbooks run as written, offline, on real stores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[1] / "cookbooks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_personal_assistant_remembers_the_move(tmp_path, capsys):
    load("personal_assistant").main(str(tmp_path))
    out = capsys.readouterr().out
    assert "[semantic] User lives in York." in out and "Leeds" not in out.split("What I know")[1]
    assert "[procedural] Keep your answers short." in out


def test_support_bot_keeps_customers_apart(tmp_path):
    seen = load("support_bot").main(str(tmp_path))
    assert any("4471" in t for t in seen["cust-1"]) and not any("4471" in t for t in seen["cust-2"])
    assert not any("Lyon" in t for t in seen["cust-2"])


def test_document_qa_cites_the_page(tmp_path):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in ["Intro to the pump manual.", "Maintenance: replace the filter every 90 days."]:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    path = tmp_path / "pump.pdf"
    path.write_bytes(bytes(pdf.output()))
    answers = load("document_qa").main(
        str(path), "How often should the filter be replaced?", str(tmp_path / "d")
    )
    assert answers[0].startswith("[pump.pdf p. 2]") and "90 days" in answers[0]
